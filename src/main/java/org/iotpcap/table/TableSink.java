package org.iotpcap.table;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a producer writes its tables: one {@link RowWriter} per table, all handing full batches to one
 * {@link BatchConsumer}. {@link #close()} hands on the partial batches and finishes the consumer.
 */
public final class TableSink implements AutoCloseable {
    /** Rows per batch with a heap of {@link org.iotpcap.bytes.Limits#FULL_STATE_HEAP_BYTES} or more. */
    public static final int DEFAULT_ROWS = Integer.getInteger("iotpcap.batchRows", 16_384);
    /** The fewest rows per batch {@link #rowsForHeap} gives. */
    static final int MIN_ROWS = 2_048;
    /** Batches per table in flight (being filled, queued or being written). */
    public static final int DEFAULT_POOL = 3;

    private final BatchConsumer consumer;
    private final int rows;
    private final int pool;
    private final Map<TableDeclaration, RowWriter> writers = new LinkedHashMap<>();
    private final Projection projection;
    private boolean closed;
    private String capture;

    public TableSink(BatchConsumer consumer) {
        this(consumer, DEFAULT_ROWS, DEFAULT_POOL, Projection.ALL);
    }

    public TableSink(BatchConsumer consumer, int rowsPerBatch, int batchesPerTable) {
        this(consumer, rowsPerBatch, batchesPerTable, Projection.ALL);
    }

    /**
     * A sink whose batches are sized for this JVM's heap ({@link #rowsForHeap}) that fills only what
     * {@code projection} names: the writers of other tables drop their rows at once, and other columns stay null
     * ({@link RowWriter#wants}).
     */
    public TableSink(BatchConsumer consumer, Projection projection) {
        this(consumer, rowsForHeap(Runtime.getRuntime().maxMemory()), DEFAULT_POOL, projection);
    }

    /**
     * Rows per batch for a heap of {@code maxHeapBytes}: {@link #DEFAULT_ROWS} from
     * {@link org.iotpcap.bytes.Limits#FULL_STATE_HEAP_BYTES} up, fewer in proportion below it (at least
     * {@link #MIN_ROWS}), as the limits on state shrink ({@code Limits.forHeap}). Every table being loaded holds up to
     * {@link #DEFAULT_POOL} batches, so with all tables loaded ({@code index}) the rows in flight are a large part of
     * a small heap.
     */
    public static int rowsForHeap(long maxHeapBytes) {
        int rows = (int) (DEFAULT_ROWS * org.iotpcap.bytes.Limits.heapFraction(maxHeapBytes)) / 1024 * 1024;
        return Math.max(Math.min(MIN_ROWS, DEFAULT_ROWS), Math.min(DEFAULT_ROWS, rows));
    }

    public TableSink(BatchConsumer consumer, int rowsPerBatch, int batchesPerTable, Projection projection) {
        if (rowsPerBatch < 1) {
            throw new IllegalArgumentException("rows per batch " + rowsPerBatch);
        }
        this.consumer = consumer;
        this.rows = rowsPerBatch;
        this.pool = batchesPerTable;
        this.projection = projection == null ? Projection.ALL : projection;
    }

    /** The writer of a table (the same one on every call). */
    public RowWriter writer(TableDeclaration table) {
        RowWriter w = writers.get(table);
        if (w == null) {
            w = new RowWriter(table, consumer, rows, pool, !projection.includes(table), projection.columns(table));
            w.capture(capture);
            writers.put(table, w);
        }
        return w;
    }

    /**
     * The capture the rows written from now on come from: every writer stamps it into its table's
     * {@code capture} column. Several captures go into one sink one after another, each run setting its name.
     */
    public void capture(String name) {
        this.capture = name;
        for (RowWriter w : writers.values()) {
            w.capture(name);
        }
    }

    /** Rows written to a table so far. */
    public long rows(TableDeclaration table) {
        RowWriter w = writers.get(table);
        return w == null ? 0 : w.rowsWritten();
    }

    /** Hands on every partial batch, then finishes the consumer. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (RowWriter w : writers.values()) {
            w.flush();
        }
        consumer.finish();
    }
}
