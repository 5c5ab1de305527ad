package org.iotpcap.sql;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Set;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.engine.Summary;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableLoadException;
import org.iotpcap.table.TableSink;

/**
 * One pass over a capture ({@link Pipeline}) with its tables loaded into a database: rows are written into
 * columnar batches, and full batches reach DuckDB through its Arrow import: one stream per table for the whole
 * load, each on a thread of its own ({@link ArrowStreams}), or one INSERT per batch on the decoding thread with one
 * core ({@link ArrowLoader}).
 */
public final class CaptureLoader {
    private CaptureLoader() {}

    /**
     * @param keepSecrets keep MQTT passwords (otherwise only presence and length)
     * @param parallel load each table on a thread of its own ({@link ArrowStreams}); the tables are the same
     * @param projection the tables and columns to fill; the others stay empty (NULL), which saves the loading time
     *     of what no question will read (the frames table is most of the rows)
     * @param progress told how far the pass has come
     */
    public record Options(Bindings bindings, boolean keepSecrets, Limits limits, boolean parallel,
                          Projection projection, Pipeline.ProgressListener progress,
                          java.util.List<java.nio.file.Path> keyLogs, java.util.Map<String, byte[]> psks) {
        public Options {
            projection = projection == null ? Projection.ALL : projection;
            keyLogs = java.util.List.copyOf(keyLogs);
            psks = java.util.Map.copyOf(psks);
        }

        /** @param tables the tables to fill, every column (null: all) */
        public Options(Bindings bindings, boolean keepSecrets, Limits limits, boolean parallel,
                       Set<TableDeclaration> tables, Pipeline.ProgressListener progress,
                       java.util.List<java.nio.file.Path> keyLogs) {
            this(bindings, keepSecrets, limits, parallel, Projection.of(tables), progress, keyLogs, java.util.Map.of());
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits, boolean parallel,
                       Set<TableDeclaration> tables, Pipeline.ProgressListener progress) {
            this(bindings, keepSecrets, limits, parallel, tables, progress, java.util.List.of());
        }

        public Options(Bindings bindings, boolean keepSecrets) {
            this(bindings, keepSecrets, Limits.forThisHeap());
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits) {
            this(bindings, keepSecrets, limits, defaultParallel(), (Set<TableDeclaration>) null,
                    Pipeline.ProgressListener.NONE);
        }

        public Options withParallel(boolean p) {
            return new Options(bindings, keepSecrets, limits, p, projection, progress, keyLogs, psks);
        }

        /** Every column of these tables (null: of all). */
        public Options withTables(Set<TableDeclaration> only) {
            return withProjection(Projection.of(only));
        }

        public Options withProjection(Projection p) {
            return new Options(bindings, keepSecrets, limits, parallel, p, progress, keyLogs, psks);
        }

        public Options withProgress(Pipeline.ProgressListener p) {
            return new Options(bindings, keepSecrets, limits, parallel, projection, p, keyLogs, psks);
        }

        /** NSS key log files whose secrets decrypt TLS connections ({@code --keylog}). */
        public Options withKeyLogs(java.util.List<java.nio.file.Path> logs) {
            return new Options(bindings, keepSecrets, limits, parallel, projection, progress, logs, psks);
        }

        /** DTLS pre-shared keys by identity ({@code --psk}). */
        public Options withPsks(java.util.Map<String, byte[]> keys) {
            return new Options(bindings, keepSecrets, limits, parallel, projection, progress, keyLogs, keys);
        }

        /** Never prints the keys. */
        @Override
        public String toString() {
            return "Options[bindings=" + bindings + ", keyLogs=" + keyLogs + ", psks=" + psks.keySet() + "]";
        }

        Pipeline.Options pipeline() {
            return new Pipeline.Options(bindings, keepSecrets, limits, progress, keyLogs, psks);
        }
    }

    /**
     * One stream per table ({@link ArrowStreams}) when loading in parallel with a heap of
     * {@link Limits#FULL_STATE_HEAP_BYTES} or more; below it one INSERT per batch: each table's statement holds
     * DuckDB state of its own while it runs, which took a 3 GB {@code index} with {@code -Xmx512m} from 1.30 to
     * 1.66 GiB of RSS (docs/performance.md), so a small heap keeps the smaller footprint.
     */
    static boolean streams(Options options) {
        return options.parallel() && Limits.heapFraction(Runtime.getRuntime().maxMemory()) >= 1;
    }

    /** Two threads when there are two cores, unless {@code -Diotpcap.threads=1}. */
    static boolean defaultParallel() {
        String t = System.getProperty("iotpcap.threads");
        if (t != null) {
            return !t.strip().equals("1");
        }
        return Runtime.getRuntime().availableProcessors() > 1;
    }

    public static Summary load(String capture, Options options, Database db) throws IOException, SQLException {
        return load(Pipeline.Inputs.of(capture), options, db).get(0);
    }

    /**
     * Loads several captures into one dataset (see {@link Pipeline.Inputs}): one summary per file, or one for a
     * continuous set.
     */
    public static java.util.List<Summary> load(Pipeline.Inputs inputs, Options options, Database db)
            throws IOException, SQLException {
        // One transaction for the load (each INSERT outside a transaction would be a commit of its own), which the
        // one-INSERT-per-batch path commits every ArrowLoader.COMMIT_ROWS rows; a failed index is deleted whole.
        java.sql.Connection conn = db.connection();
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            java.util.List<Summary> s = loadInTransaction(inputs, options, db);
            conn.commit();
            db.useQueryMemoryLimit();
            db.derive();
            return s;
        } catch (IOException | SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    private static java.util.List<Summary> loadInTransaction(Pipeline.Inputs inputs, Options options, Database db)
            throws IOException, SQLException {
        try (TableLoader loader = streams(options) ? new ArrowStreams(db, options.projection())
                : new ArrowLoader(db, options.projection(), db.connection()::commit)) {
            TableSink sink = new TableSink(loader, options.projection());
            java.util.List<Summary> s;
            try {
                s = inputs.run(options.pipeline(), sink);
            } catch (IOException | RuntimeException e) {
                try {
                    sink.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            try {
                sink.close();
            } catch (TableLoadException e) {
                if (e.getCause() instanceof SQLException sql) {
                    throw sql;
                }
                throw e;
            }
            return s;
        }
    }
}
