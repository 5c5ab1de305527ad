package org.iotpcap.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code iotpcap export CAPTURE --to DIR}: each table to a file through DuckDB's COPY. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export tables to Parquet, CSV or JSON files (one per table, named TABLE.EXT) in a directory.")
final class ExportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "capture files, directories (every *.pcap, *.pcapng, *.cap, *.gz under it) or globs; - for stdin; or one database from 'iotpcap index'")
    List<String> inputs;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "directory to write (created if missing)")
    Path dir;

    @Option(names = "--format", defaultValue = "parquet", description = "parquet, csv or json (default: ${DEFAULT-VALUE})")
    ExportFormat format;

    @Option(names = "--tables", split = ",", paramLabel = "a,b", description = "tables to export (default: all)")
    List<String> tables = new ArrayList<>();

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    enum ExportFormat { parquet, csv, json }

    @Override
    public Integer call() throws Exception {
        try (Source.Loaded loaded = Source.open(inputs, options)) {
            List<String> known = loaded.db().tables();
            List<String> chosen = tables.isEmpty() ? known : tables;
            for (String t : chosen) {
                if (!known.contains(t)) {
                    throw new UsageException("unknown table '" + t + "' (tables: " + String.join(", ", known) + ")");
                }
            }
            Files.createDirectories(dir);
            for (String t : chosen) {
                // Table names come from the schema (checked above), file names from the table names only:
                // nothing in the capture decides where a file is written.
                Path file = dir.resolve(t + "." + format.name()).toAbsolutePath();
                String opts = switch (format) {
                    case parquet -> "FORMAT parquet";
                    case csv -> "FORMAT csv, HEADER true";
                    case json -> "FORMAT json, ARRAY true";
                };
                loaded.db().execute("COPY \"" + t + "\" TO '" + file.toString().replace("'", "''") + "' (" + opts + ")");
                spec.commandLine().getOut().println("wrote " + dir.resolve(t + "." + format.name()));
            }
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }
}
