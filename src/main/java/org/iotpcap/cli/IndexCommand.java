package org.iotpcap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.iotpcap.engine.Summary;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpcap index CAPTURE --db FILE}: the tables written once to a DuckDB file, for repeated questions. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Write the tables of a capture to a DuckDB file that query, run and export accept in place of the capture.")
final class IndexCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "capture files, directories (every *.pcap, "
            + "*.pcapng, *.cap, *.gz under it) or globs, or - for stdin")
    List<String> captures;

    @Option(names = "--db", required = true, paramLabel = "FILE.duckdb", description = "the database file to write")
    Path db;

    @Option(names = "--force", description = "replace FILE if it exists")
    boolean force;

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(db)) {
            if (!force) {
                throw new UsageException(db + " exists (use --force to replace it)");
            }
            Files.delete(db);
            Files.deleteIfExists(Path.of(db + ".wal"));
        }
        Summary s;
        org.iotpcap.pipeline.Pipeline.Inputs inputs = options.inputs(captures);
        try (Database d = Database.create(db)) {
            try (Progress progress = options.progress("indexing", inputs.files())) {
                List<Summary> parts = CaptureLoader.load(inputs, new CaptureLoader.Options(options.bindings(),
                        options.keepSecrets).withKeyLogs(options.keyLogs()).withPsks(options.psks())
                        .withProgress(progress::update), d);
                s = parts.size() == 1 ? parts.get(0) : Summary.total(parts);
            }
            d.execute("CHECKPOINT");
        } catch (Exception e) {
            Files.deleteIfExists(db);
            throw e;
        }
        int n = inputs.files().size();
        spec.commandLine().getOut().println("indexed " + s.frames + " frames" + (n == 1 ? "" : " of " + n
                + (inputs.continuous() ? " files as one capture" : " captures")) + " into " + db);
        return Problems.exitCode(s, options.strict, spec.commandLine().getErr());
    }
}
