package org.iotpcap.table;

import org.iotpcap.bytes.ByteView;

/**
 * Writes rows of one table: {@link #begin()}, typed setters, {@link #end()}. Every column is null until set; a
 * setter accepts only its column's type. Full batches go to the {@link BatchConsumer} given at construction, and the
 * writer goes on with a batch the consumer has released (at most {@code pool} batches per table are in flight, so a
 * slow consumer slows the producer down rather than letting memory grow). No allocation per row.
 *
 * <p>A writer may fill only some of its table's columns (the sink's {@link Projection}): setting another column
 * does nothing, and {@link #wants} tells a producer which values it need not compute at all.
 *
 * <p>One producer thread; one row at a time.
 */
public final class RowWriter {
    private final TableDeclaration table;
    private final BatchConsumer consumer;
    private final BatchPool pool;
    private final int captureSlot;
    private Batch current;
    private long rowsWritten;
    private String capture;
    /** A table nobody reads: every call returns at once and nothing is kept. */
    private final boolean discard;
    /** By stored slot: whether the column is filled (all false when {@link #discard}). */
    private final boolean[] keep;

    /** @param columns the stored columns to fill (the others stay null) */
    RowWriter(TableDeclaration table, BatchConsumer consumer, int capacity, int pool, boolean discard,
              java.util.List<Column> columns) {
        this.table = table;
        this.consumer = consumer;
        this.discard = discard;
        this.keep = new boolean[table.storedColumns().size()];
        if (!discard) {
            for (Column c : columns) {
                keep[c.slot()] = true;
            }
        }
        this.pool = new BatchPool(table, capacity, pool, keep);
        Column capture = table.captureColumn();
        this.captureSlot = capture == null || !keep[capture.slot()] ? -1 : capture.slot();
        this.current = discard ? null : this.pool.take();
    }

    /**
     * False for a table the sink was told nobody reads: its rows are dropped at once, so a producer may skip the
     * work of making them.
     */
    public boolean enabled() {
        return !discard;
    }

    /**
     * Whether a value set for {@code c} is kept: false for a column outside the sink's projection (or a generated
     * column whose source is), and for every column of a table nobody reads. A producer may skip computing such a
     * value; setting it anyway is harmless.
     */
    public boolean wants(Column c) {
        Column stored = c instanceof Column.Time t ? t.source() : c;
        return keep[stored.slot()];
    }

    public TableDeclaration table() {
        return table;
    }

    /** Rows ended so far. */
    public long rowsWritten() {
        return rowsWritten;
    }

    public RowWriter begin() {
        if (discard) {
            return this;
        }
        current.beginRow();
        return this;
    }

    public RowWriter set(Column.Int64 c, long v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setLong(c.slot(), v);
        return this;
    }

    /** Null when {@code v} is null. */
    public RowWriter set(Column.Int64 c, Long v) {
        if (!keep[c.slot()]) {
            return this;
        }
        if (v != null) {
            current.setLong(c.slot(), v);
        }
        return this;
    }

    public RowWriter set(Column.Int32 c, int v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setInt(c.slot(), v);
        return this;
    }

    public RowWriter set(Column.Int32 c, Integer v) {
        if (!keep[c.slot()]) {
            return this;
        }
        if (v != null) {
            current.setInt(c.slot(), v);
        }
        return this;
    }

    public RowWriter set(Column.Int8 c, int v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setByte(c.slot(), (byte) v);
        return this;
    }

    public RowWriter set(Column.Float64 c, double v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setDouble(c.slot(), v);
        return this;
    }

    public RowWriter set(Column.Float64 c, Double v) {
        if (!keep[c.slot()]) {
            return this;
        }
        if (v != null) {
            current.setDouble(c.slot(), v);
        }
        return this;
    }

    public RowWriter set(Column.Bool c, boolean v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setBool(c.slot(), v);
        return this;
    }

    public RowWriter set(Column.Bool c, Boolean v) {
        if (!keep[c.slot()]) {
            return this;
        }
        if (v != null) {
            current.setBool(c.slot(), v);
        }
        return this;
    }

    public RowWriter set(Column.Text c, String v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setText(c.slot(), v);
        return this;
    }

    /** Copies the viewed bytes into the batch (the one copy a payload makes on its way to a table). */
    public RowWriter set(Column.Blob c, ByteView v) {
        if (!keep[c.slot()]) {
            return this;
        }
        current.setBlob(c.slot(), v);
        return this;
    }

    public RowWriter set(Column.Blob c, byte[] v) {
        if (!keep[c.slot()]) {
            return this;
        }
        if (v != null) {
            current.setBlob(c.slot(), v, 0, v.length);
        }
        return this;
    }

    /** The value {@link #end()} stamps into the table's {@code capture} column (set by {@link TableSink#capture}). */
    void capture(String name) {
        this.capture = name;
    }

    /** Ends the row (stamping the capture column); hands the batch on when it is full. */
    public void end() {
        if (discard) {
            return;
        }
        if (captureSlot >= 0) {
            current.setText(captureSlot, capture);
        }
        rowsWritten++;
        if (current.endRow()) {
            flush();
        }
    }

    /** Hands on the rows written so far, if any. */
    public void flush() {
        if (discard || current.rows() == 0) {
            return;
        }
        Batch full = current;
        current = null;
        consumer.accept(full);
        current = pool.take();
    }
}
