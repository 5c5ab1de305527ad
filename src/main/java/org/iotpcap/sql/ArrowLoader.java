package org.iotpcap.sql;

import java.io.IOException;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.iotpcap.table.ArrowBatches;
import org.iotpcap.table.Batch;
import org.iotpcap.table.Column;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableLoadException;

/**
 * Loads batches into DuckDB through its Arrow stream import: each batch is copied into Arrow vectors, exported
 * through the Arrow C data interface and inserted with one {@code INSERT ... SELECT} (measured in
 * docs/performance.md against the JDBC Appender, which makes one native call per value): the one-thread path,
 * where {@link ArrowStreams} needs threads. Tables outside the projection are dropped unread, and only its
 * columns of a table are loaded. Not thread-safe: one loading thread.
 *
 * <p>Inside the load's transaction it commits every {@value #COMMIT_ROWS} rows, through the {@link Commit} the
 * transaction's owner gives it: each INSERT registers and drops a
 * view, and a transaction keeps what each statement did until it ends, so one transaction over a 10 GB capture grew
 * by about 35 MB of native memory per four million frames (docs/performance.md). Committing far more often costs
 * time (each commit writes the unfinished row groups of every table to the write-ahead log).
 */
public final class ArrowLoader implements TableLoader {
    /** Rows between two commits of a load's transaction. */
    static final long COMMIT_ROWS = 1L << 23;

    private final Database db;
    private final Projection projection;
    private final long commitRows;
    private final Commit commit;
    private long rowsSinceCommit;
    private final BufferAllocator allocator = ArrowBatches.newAllocator();
    private final Map<TableDeclaration, Schema> schemas = new HashMap<>();
    private final Map<TableDeclaration, String> inserts = new HashMap<>();

    /**
     * How a load's transaction is committed along the way: the owner of the transaction ({@link CaptureLoader})
     * hands it over; {@link #NONE} where each statement commits itself.
     */
    @FunctionalInterface
    interface Commit {
        Commit NONE = () -> {};

        void commit() throws SQLException;
    }

    /** A loader whose every INSERT commits itself (the connection in auto-commit mode). */
    public ArrowLoader(Database db, Projection projection) {
        this(db, projection, COMMIT_ROWS, Commit.NONE);
    }

    /** A loader inside a transaction, which it commits through {@code commit} every {@value #COMMIT_ROWS} rows. */
    ArrowLoader(Database db, Projection projection, Commit commit) {
        this(db, projection, COMMIT_ROWS, commit);
    }

    ArrowLoader(Database db, Projection projection, long commitRows, Commit commit) {
        this.db = db;
        this.projection = projection;
        this.commitRows = commitRows;
        this.commit = commit;
    }

    @Override
    public void accept(Batch batch) {
        TableDeclaration t = batch.table();
        try {
            if (projection.includes(t)) {
                insert(t, batch);
                rowsSinceCommit += batch.rows();
                if (rowsSinceCommit >= commitRows) {
                    commit.commit();
                    rowsSinceCommit = 0;
                }
            }
        } catch (SQLException e) {
            throw new TableLoadException(e);
        } finally {
            batch.release();
        }
    }

    private void insert(TableDeclaration t, Batch batch) throws SQLException {
        List<Column> columns = projection.columns(t);
        Schema schema = schemas.computeIfAbsent(t, x -> ArrowBatches.schema(columns));
        String view = "iotpcap_arrow_" + t.name();
        String insert = inserts.computeIfAbsent(t, x -> "INSERT INTO " + x.name() + " (" + Ddl.names(columns)
                + ") SELECT " + Ddl.names(columns) + " FROM " + view);
        // The reader is closed here and, when DuckDB releases the exported stream, by the stream too: OneBatch
        // closes once (a second close failed with "RefCnt has gone negative").
        try (OneBatch reader = new OneBatch(allocator, schema, columns, batch);
             ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream);
            // registerArrowStream creates a temporary view over the stream; it must not outlive the stream (a
            // later query that binds it would read freed memory), so it is dropped after the insert either way.
            db.registerArrowStream(view, stream);
            Database.executeThenDropView(db.connection(), insert, view);
        } catch (IOException e) {
            throw new SQLException("cannot hand rows of " + t.name() + " to DuckDB: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        allocator.close();
    }

    /** An Arrow reader of exactly one record batch: the rows of one of our batches. */
    private static final class OneBatch extends ArrowReader {
        private final Schema schema;
        private final List<Column> columns;
        private final Batch batch;
        private boolean done;
        private boolean closed;

        OneBatch(BufferAllocator allocator, Schema schema, List<Column> columns, Batch batch) {
            super(allocator);
            this.schema = schema;
            this.columns = columns;
            this.batch = batch;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (done) {
                return false;
            }
            done = true;
            ArrowBatches.fill(batch, columns, getVectorSchemaRoot());
            return true;
        }

        /** Closes once: both this loader and DuckDB's release of the exported stream close the reader. */
        @Override
        public synchronized void close(boolean closeReadSource) throws IOException {
            if (!closed) {
                closed = true;
                super.close(closeReadSource);
            }
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {}

        @Override
        protected Schema readSchema() {
            return schema;
        }
    }
}
