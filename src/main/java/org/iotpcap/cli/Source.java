package org.iotpcap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.iotpcap.engine.Summary;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;

/**
 * What {@code query}, {@code run} and {@code export} read: a capture (loaded into an in-memory database in
 * one pass) or a database file written by {@code iotpcap index} (recognised by its DuckDB header).
 */
final class Source {
    private Source() {}

    /**
     * The loaded database and, for captures, what the passes counted: their total (null for an index) and one
     * summary per file (one for a continuous set).
     */
    record Loaded(Database db, Summary summary, java.util.List<Summary> parts) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    static Loaded open(java.util.List<String> inputs, InputOptions options) throws IOException, SQLException {
        return open(inputs, options, null);
    }

    /**
     * @param inputs capture files, directories and globs ({@link InputOptions#expand}), or one index
     * @param projection the tables and columns a capture's load must fill (null: all); an index holds whatever it
     *     holds
     */
    static Loaded open(java.util.List<String> inputs, InputOptions options,
                       org.iotpcap.table.Projection projection) throws IOException, SQLException {
        for (String input : inputs) {
            if (!"-".equals(input) && isDuckDb(Path.of(input))) {
                if (inputs.size() > 1) {
                    throw new UsageException(input + " is an iotpcap index: an index is read alone, not with "
                            + "other inputs (index all the captures into one database instead)");
                }
                return new Loaded(Database.openIndex(Path.of(input)), null, java.util.List.of());
            }
        }
        Pipeline.Inputs captures = options.inputs(inputs);
        Database db = Database.inMemory();
        try {
            java.util.List<Summary> parts;
            try (Progress progress = options.progress("reading", captures.files())) {
                parts = CaptureLoader.load(captures, new CaptureLoader.Options(options.bindings(), options.keepSecrets)
                        .withProjection(projection).withKeyLogs(options.keyLogs()).withPsks(options.psks())
                        .withProgress(progress::update), db);
            }
            return new Loaded(db, parts.size() == 1 ? parts.get(0) : Summary.total(parts), parts);
        } catch (IOException | SQLException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** DuckDB files carry "DUCK" at offset 8. */
    static boolean isDuckDb(Path p) throws IOException {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(12);
            return h.length == 12 && h[8] == 'D' && h[9] == 'U' && h[10] == 'C' && h[11] == 'K';
        }
    }
}
