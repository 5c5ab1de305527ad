package org.iotpcap.spark;

import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarMap;
import org.apache.spark.unsafe.types.UTF8String;
import org.iotpcap.table.Batch;
import org.iotpcap.table.Column;

/**
 * One column of one of our {@link Batch}es as a Spark {@link ColumnVector}, read in place: the numbers straight
 * from the batch's primitive arrays, blobs copied out of its arena, text encoded to UTF-8 when Spark asks for
 * it. The same batches the DuckDB loader reads; no Arrow copy between. A generated TIMESTAMP_NS column reads
 * its {@code *_ns} source as microseconds. The vector follows its reader: {@link #point(Batch, int[], int)} moves it to
 * the next batch.
 */
final class BatchColumnVector extends ColumnVector {
    private final Column column;
    /** The stored column read: the column itself, or the source of a generated time column. */
    private final Column stored;
    /** A generated time column: its nanoseconds read as Spark's microseconds. */
    private final boolean micros;
    private Batch batch;
    /** Spark's row i is the batch's row rows[i] (the rows a time window keeps); null: the same. */
    private int[] rows;
    private int count;
    private int nulls = -1;

    BatchColumnVector(Column column) {
        super(SparkTypes.type(column.type()));
        this.column = column;
        this.stored = column instanceof Column.Time t ? t.source() : column;
        this.micros = column instanceof Column.Time;
    }

    /** Reads {@code b}: all its rows, or the first {@code n} of {@code kept} (batch row numbers, ascending). */
    void point(Batch b, int[] kept, int n) {
        this.batch = b;
        this.rows = kept;
        this.count = kept == null ? b.rows() : n;
        this.nulls = -1;
    }

    private int at(int rowId) {
        return rows == null ? rowId : rows[rowId];
    }

    @Override
    public void close() {
        batch = null;
    }

    @Override
    public boolean hasNull() {
        return numNulls() > 0;
    }

    @Override
    public int numNulls() {
        if (nulls < 0) {
            int n = 0;
            for (int r = 0; r < count; r++) {
                if (batch.isNull(stored, at(r))) {
                    n++;
                }
            }
            nulls = n;
        }
        return nulls;
    }

    @Override
    public boolean isNullAt(int rowId) {
        return batch.isNull(stored, at(rowId));
    }

    @Override
    public boolean getBoolean(int rowId) {
        return batch.getBool((Column.Bool) stored, at(rowId));
    }

    @Override
    public byte getByte(int rowId) {
        return batch.getByte((Column.Int8) stored, at(rowId));
    }

    @Override
    public int getInt(int rowId) {
        return batch.getInt((Column.Int32) stored, at(rowId));
    }

    @Override
    public long getLong(int rowId) {
        long v = batch.getLong((Column.Int64) stored, at(rowId));
        return micros ? Math.floorDiv(v, 1000L) : v;
    }

    @Override
    public double getDouble(int rowId) {
        return batch.getDouble((Column.Float64) stored, at(rowId));
    }

    @Override
    public UTF8String getUTF8String(int rowId) {
        String s = batch.getText((Column.Text) stored, at(rowId));
        return s == null ? null : UTF8String.fromString(s);
    }

    @Override
    public byte[] getBinary(int rowId) {
        if (batch.isNull(stored, at(rowId))) {
            return null;
        }
        Column.Blob b = (Column.Blob) stored;
        int off = batch.blobOffset(b, at(rowId));
        return java.util.Arrays.copyOfRange(batch.blobArena(b), off, off + batch.blobLength(b, at(rowId)));
    }

    // Types no table declares: Spark asks for them only of columns of those types.

    @Override
    public short getShort(int rowId) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not SMALLINT");
    }

    @Override
    public float getFloat(int rowId) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not FLOAT");
    }

    @Override
    public Decimal getDecimal(int rowId, int precision, int scale) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not DECIMAL");
    }

    @Override
    public ColumnarArray getArray(int rowId) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not an array");
    }

    @Override
    public ColumnarMap getMap(int ordinal) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not a map");
    }

    @Override
    public ColumnVector getChild(int ordinal) {
        throw new UnsupportedOperationException(column.name() + " is " + column.type() + ", not a struct");
    }
}
