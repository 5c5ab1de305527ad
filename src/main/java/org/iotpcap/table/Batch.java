package org.iotpcap.table;

import java.util.Arrays;
import java.util.List;
import org.iotpcap.bytes.ByteView;

/**
 * Rows of one table in columns: a primitive array per numeric column with a validity array beside it, text as
 * {@code String} references, and blob bytes copied once into one growing arena per column (offset and length per
 * row). A batch is filled by one {@link RowWriter} and read by one consumer (the DuckDB loader, a test, the Spark
 * reader), which gives it back with {@link #release()} so that its arrays are used again.
 *
 * <p>A batch is full at {@link #capacity()} rows or when its blob arenas hold {@value #BLOB_BYTES_PER_ROW} bytes per
 * row of capacity (at most {@value #MAX_BLOB_BYTES}), whichever comes first: memory per batch is bounded whatever
 * the payload sizes (one payload larger than that makes a batch of one row), and smaller batches (a smaller heap,
 * {@link TableSink#rowsForHeap}) hold proportionally fewer blob bytes.
 *
 * <p>A batch holds arrays only for the columns its writer keeps (the sink's {@link Projection}); every other
 * column reads as null.
 */
public final class Batch {
    /** Blob bytes after which a batch counts as full, whatever its capacity. */
    public static final int MAX_BLOB_BYTES = 16 << 20;
    /** Blob bytes per row of capacity after which a batch counts as full. */
    public static final int BLOB_BYTES_PER_ROW = 1024;

    private final TableDeclaration table;
    private final int capacity;
    private final Column[] columns;
    private final Object[] values;
    private final boolean[][] valid;
    /** The validity arrays of the kept columns only: what {@link #clear} clears. */
    private final boolean[][] keptValid;
    /** A row was begun and not ended: the next {@link #beginRow} clears what it set. */
    private boolean rowOpen;
    private final int[][] blobOffsets;
    private final int[][] blobLengths;
    private final byte[][] arenas;
    private final int[] arenaUsed;
    private final int maxBlobBytes;
    private int blobBytes;
    private int rows;
    private Runnable recycler;

    /** A batch of every stored column. */
    Batch(TableDeclaration table, int capacity) {
        this(table, capacity, null);
    }

    /** @param kept by stored slot, the columns to hold (null: all) */
    Batch(TableDeclaration table, int capacity, boolean[] kept) {
        this.table = table;
        this.capacity = capacity;
        this.maxBlobBytes = (int) Math.min(MAX_BLOB_BYTES, (long) capacity * BLOB_BYTES_PER_ROW);
        List<Column> cs = table.storedColumns();
        this.columns = cs.toArray(new Column[0]);
        int n = columns.length;
        values = new Object[n];
        valid = new boolean[n][];
        blobOffsets = new int[n][];
        blobLengths = new int[n][];
        arenas = new byte[n][];
        arenaUsed = new int[n];
        for (int i = 0; i < n; i++) {
            if (kept != null && !kept[i]) {
                continue;
            }
            valid[i] = new boolean[capacity];
            values[i] = switch (columns[i]) {
                case Column.Int64 c -> new long[capacity];
                case Column.Int32 c -> new int[capacity];
                case Column.Int8 c -> new byte[capacity];
                case Column.Float64 c -> new double[capacity];
                case Column.Bool c -> new boolean[capacity];
                case Column.Text c -> new String[capacity];
                case Column.Blob c -> {
                    blobOffsets[i] = new int[capacity];
                    blobLengths[i] = new int[capacity];
                    arenas[i] = new byte[1024];
                    yield null;
                }
                case Column.Time c -> throw new IllegalStateException("generated column stored: " + c);
            };
        }
        keptValid = java.util.Arrays.stream(valid).filter(java.util.Objects::nonNull).toArray(boolean[][]::new);
    }

    public TableDeclaration table() {
        return table;
    }

    public int capacity() {
        return capacity;
    }

    /** Complete rows. */
    public int rows() {
        return rows;
    }

    // ---- writing (package-private: only RowWriter fills a batch) ----

    /**
     * Begins a row. Its validity flags are all false already ({@link #clear} clears the used rows' flags at once,
     * column by column), unless a row begun before was never ended: then its flags are cleared here.
     */
    void beginRow() {
        if (rowOpen) {
            int r = rows;
            for (boolean[] v : keptValid) {
                v[r] = false;
            }
        }
        rowOpen = true;
    }

    /** Ends the current row; true when the batch is now full. */
    boolean endRow() {
        rowOpen = false;
        rows++;
        return rows == capacity || blobBytes >= maxBlobBytes;
    }

    void setLong(int slot, long v) {
        ((long[]) values[slot])[rows] = v;
        valid[slot][rows] = true;
    }

    void setInt(int slot, int v) {
        ((int[]) values[slot])[rows] = v;
        valid[slot][rows] = true;
    }

    void setByte(int slot, byte v) {
        ((byte[]) values[slot])[rows] = v;
        valid[slot][rows] = true;
    }

    void setDouble(int slot, double v) {
        ((double[]) values[slot])[rows] = v;
        valid[slot][rows] = true;
    }

    void setBool(int slot, boolean v) {
        ((boolean[]) values[slot])[rows] = v;
        valid[slot][rows] = true;
    }

    void setText(int slot, String v) {
        ((String[]) values[slot])[rows] = v;
        valid[slot][rows] = v != null;
    }

    void setBlob(int slot, ByteView v) {
        if (v == null) {
            valid[slot][rows] = false;
            return;
        }
        setBlob(slot, v.array(), v.arrayOffset(), v.length());
    }

    void setBlob(int slot, byte[] v, int off, int len) {
        if (v == null) {
            valid[slot][rows] = false;
            return;
        }
        int at = reserve(slot, len);
        System.arraycopy(v, off, arenas[slot], at, len);
        blobDone(slot, at, len);
    }

    private int reserve(int slot, int len) {
        int used = arenaUsed[slot];
        byte[] a = arenas[slot];
        if (a.length - used < len) {
            long want = Math.max((long) used + len, 2L * a.length);
            arenas[slot] = Arrays.copyOf(a, (int) Math.min(want, Integer.MAX_VALUE - 16));
        }
        return used;
    }

    private void blobDone(int slot, int at, int len) {
        blobOffsets[slot][rows] = at;
        blobLengths[slot][rows] = len;
        arenaUsed[slot] = at + len;
        blobBytes += len;
        valid[slot][rows] = true;
    }

    // ---- reading ----

    /** The validity flags of a stored column by row (true: a value), or null when the batch does not hold it. */
    boolean[] validity(Column c) {
        return valid[c.slot()];
    }

    /** The value array of a numeric or boolean column ({@code long[]}, {@code int[]}, ...), or null if not held. */
    Object array(Column c) {
        return values[c.slot()];
    }

    public boolean isNull(Column c, int row) {
        boolean[] v = valid[c.slot()];
        return v == null || !v[row];
    }

    public long getLong(Column.Int64 c, int row) {
        return ((long[]) values[c.slot()])[row];
    }

    public int getInt(Column.Int32 c, int row) {
        return ((int[]) values[c.slot()])[row];
    }

    public byte getByte(Column.Int8 c, int row) {
        return ((byte[]) values[c.slot()])[row];
    }

    public double getDouble(Column.Float64 c, int row) {
        return ((double[]) values[c.slot()])[row];
    }

    public boolean getBool(Column.Bool c, int row) {
        return ((boolean[]) values[c.slot()])[row];
    }

    public String getText(Column.Text c, int row) {
        String[] v = (String[]) values[c.slot()];
        return v == null ? null : v[row];
    }

    /** The arena holding blob column {@code c} (valid up to the rows' offsets and lengths); null if not held. */
    public byte[] blobArena(Column.Blob c) {
        return arenas[c.slot()];
    }

    public int blobOffset(Column.Blob c, int row) {
        return blobOffsets[c.slot()][row];
    }

    public int blobLength(Column.Blob c, int row) {
        return blobLengths[c.slot()][row];
    }

    /** Bytes used in the arena of blob column {@code c}. */
    public int blobBytes(Column.Blob c) {
        return arenaUsed[c.slot()];
    }

    /**
     * The value of a stored column as an object (null, Long, Integer, Byte, Double, Boolean, String or byte[]):
     * for tests and tools, not for the loading path.
     */
    public Object value(Column c, int row) {
        if (!c.stored()) {
            throw new IllegalArgumentException("generated column " + c.name() + " has no stored value");
        }
        if (isNull(c, row)) {
            return null;
        }
        return switch (c) {
            case Column.Int64 x -> getLong(x, row);
            case Column.Int32 x -> getInt(x, row);
            case Column.Int8 x -> getByte(x, row);
            case Column.Float64 x -> getDouble(x, row);
            case Column.Bool x -> getBool(x, row);
            case Column.Text x -> getText(x, row);
            case Column.Blob x -> Arrays.copyOfRange(arenas[x.slot()], blobOffset(x, row),
                    blobOffset(x, row) + blobLength(x, row));
            case Column.Time x -> throw new IllegalStateException();
        };
    }

    // ---- life cycle ----

    void recycler(Runnable r) {
        this.recycler = r;
    }

    /** Empties the batch (references dropped) without giving it back. */
    void clear() {
        int used = rowOpen ? Math.min(rows + 1, capacity) : rows;
        for (boolean[] v : keptValid) {
            Arrays.fill(v, 0, used, false);
        }
        rowOpen = false;
        for (int i = 0; i < columns.length; i++) {
            if (values[i] instanceof String[] s) {
                Arrays.fill(s, 0, used, null);
            }
            arenaUsed[i] = 0;
        }
        blobBytes = 0;
        rows = 0;
    }

    /** The consumer is done with the rows: the batch goes back to its writer to be filled again. */
    public void release() {
        clear();
        Runnable r = recycler;
        if (r != null) {
            r.run();
        }
    }
}
