package org.iotpcap.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.iotpcap.engine.Summary;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;

/**
 * What {@code query}, {@code run} and {@code export} read: a capture (loaded into an in-memory database in
 * one pass) or a database file written by {@code iotpcap index} (recognised by its DuckDB header).
 */
final class Source {
    private Source() {}

    /** The loaded database and, for a capture, what the pass counted (null for an index). */
    record Loaded(Database db, Summary summary) implements AutoCloseable {
        @Override
        public void close() throws SQLException {
            db.close();
        }
    }

    static Loaded open(String input, InputOptions options) throws IOException, SQLException {
        return open(input, options, null);
    }

    /** @param tables the tables a capture's load must fill (null: all); an index holds whatever it holds */
    static Loaded open(String input, InputOptions options, java.util.Set<org.iotpcap.table.TableDeclaration> tables)
            throws IOException, SQLException {
        if (!"-".equals(input) && isDuckDb(Path.of(input))) {
            return new Loaded(Database.openIndex(Path.of(input)), null);
        }
        Database db = Database.inMemory();
        try {
            Summary s;
            try (Progress progress = options.progress("reading", input)) {
                s = CaptureLoader.load(input, new CaptureLoader.Options(options.bindings(), options.keepSecrets)
                        .withTables(tables).withKeyLogs(options.keyLogs()).withPsks(options.psks())
                        .withProgress(progress::update), db);
            }
            return new Loaded(db, s);
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
