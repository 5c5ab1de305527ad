package org.iotpcap.table;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A table's batches as Arrow record batches: the schema of its stored columns (generated columns are the
 * database's) and the copy of a {@link Batch} into a {@link VectorSchemaRoot}. DuckDB's Arrow scan and Spark's
 * {@code ArrowColumnVector} read these.
 *
 * <p>Arrow checks every index of every buffer access unless told not to before its first buffer exists (its
 * documented production setting, {@code arrow.enable_unsafe_memory_access}). This class says so when it is first
 * used, unless the property is already set; every allocator of ours comes from {@link #newAllocator()}, so the
 * setting is made before any buffer, whichever path loads the tables. {@link #fill} allocates each vector for
 * exactly the rows it then writes.
 */
public final class ArrowBatches {
    static {
        if (System.getProperty("arrow.enable_unsafe_memory_access") == null) {
            System.setProperty("arrow.enable_unsafe_memory_access", "true");
        }
    }

    private ArrowBatches() {}

    /** A new root allocator, made after Arrow's bounds checks are turned off (class comment). */
    public static BufferAllocator newAllocator() {
        return new RootAllocator();
    }

    public static Schema schema(TableDeclaration table) {
        return schema(table.storedColumns());
    }

    /** The schema of some stored columns, in the order given. */
    public static Schema schema(List<Column> columns) {
        List<Field> fields = new ArrayList<>();
        for (Column c : columns) {
            fields.add(new Field(c.name(), FieldType.nullable(arrowType(c.type())), null));
        }
        return new Schema(fields);
    }

    static ArrowType arrowType(ColumnType t) {
        return switch (t) {
            case BIGINT -> new ArrowType.Int(64, true);
            case INTEGER -> new ArrowType.Int(32, true);
            case TINYINT -> new ArrowType.Int(8, true);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case VARCHAR -> ArrowType.Utf8.INSTANCE;
            case BLOB -> ArrowType.Binary.INSTANCE;
            case TIMESTAMP_NS -> throw new IllegalArgumentException("generated columns are not stored");
        };
    }

    /** Copies the rows of {@code b} into {@code root} (whose schema is {@link #schema} of the batch's table). */
    public static void fill(Batch b, VectorSchemaRoot root) {
        fill(b, b.table().storedColumns(), root);
    }

    /** Copies the rows of {@code b} in {@code cols} into {@code root} (whose schema is {@link #schema(List)}). */
    public static void fill(Batch b, List<Column> cols, VectorSchemaRoot root) {
        int n = b.rows();
        for (int i = 0; i < cols.size(); i++) {
            fillVector(b, cols.get(i), root.getVector(i), n);
        }
        root.setRowCount(n);
    }

    /**
     * One column into its vector. Each type has its own loop, over the batch's arrays taken once: a single method
     * switching over every type was compiled again by C2 as each new column type reached it (six times in one
     * 300 MB {@code index}).
     */
    private static void fillVector(Batch b, Column c, FieldVector v, int n) {
        v.setInitialCapacity(n);
        boolean[] valid = b.validity(c);
        if (valid == null) { // a column the batch does not hold: all null
            v.allocateNew();
            for (int r = 0; r < n; r++) {
                v.setNull(r);
            }
        } else {
            switch (c) {
                case Column.Int64 x -> fillLongs((long[]) b.array(x), valid, (BigIntVector) v, n);
                case Column.Int32 x -> fillInts((int[]) b.array(x), valid, (IntVector) v, n);
                case Column.Int8 x -> fillBytes((byte[]) b.array(x), valid, (TinyIntVector) v, n);
                case Column.Float64 x -> fillDoubles((double[]) b.array(x), valid, (Float8Vector) v, n);
                case Column.Bool x -> fillBools((boolean[]) b.array(x), valid, (BitVector) v, n);
                case Column.Text x -> fillText(b, x, (VarCharVector) v, n);
                case Column.Blob x -> fillBlobs(b, x, valid, (VarBinaryVector) v, n);
                case Column.Time x -> throw new IllegalStateException("generated column stored: " + x);
            }
        }
        v.setValueCount(n);
    }

    private static void fillLongs(long[] a, boolean[] valid, BigIntVector w, int n) {
        w.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, a[r]);
            } else {
                w.setNull(r);
            }
        }
    }

    private static void fillInts(int[] a, boolean[] valid, IntVector w, int n) {
        w.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, a[r]);
            } else {
                w.setNull(r);
            }
        }
    }

    private static void fillBytes(byte[] a, boolean[] valid, TinyIntVector w, int n) {
        w.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, a[r]);
            } else {
                w.setNull(r);
            }
        }
    }

    private static void fillDoubles(double[] a, boolean[] valid, Float8Vector w, int n) {
        w.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, a[r]);
            } else {
                w.setNull(r);
            }
        }
    }

    private static void fillBools(boolean[] a, boolean[] valid, BitVector w, int n) {
        w.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, a[r] ? 1 : 0);
            } else {
                w.setNull(r);
            }
        }
    }

    private static void fillBlobs(Batch b, Column.Blob x, boolean[] valid, VarBinaryVector w, int n) {
        w.allocateNew(Math.max(1, b.blobBytes(x)), n);
        byte[] arena = b.blobArena(x);
        for (int r = 0; r < n; r++) {
            if (valid[r]) {
                w.set(r, arena, b.blobOffset(x, r), b.blobLength(x, r));
            } else {
                w.setNull(r);
            }
        }
    }

    /**
     * Text as UTF-8; a value equal (by reference) to the row before it is encoded once. The offsets, validity bits
     * and bytes are written straight into the vector's buffers, which {@code allocateNew} sized exactly.
     */
    private static void fillText(Batch b, Column.Text x, VarCharVector w, int n) {
        byte[][] enc = new byte[n][];
        long total = 0;
        String last = null;
        byte[] lastBytes = null;
        for (int r = 0; r < n; r++) {
            String s = b.isNull(x, r) ? null : b.getText(x, r);
            if (s == null) {
                continue;
            }
            if (s != last) {
                last = s;
                lastBytes = s.getBytes(StandardCharsets.UTF_8);
            }
            enc[r] = lastBytes;
            total += lastBytes.length;
        }
        w.allocateNew(Math.max(1, total), n);
        ArrowBuf validity = w.getValidityBuffer();
        ArrowBuf offsets = w.getOffsetBuffer();
        ArrowBuf data = w.getDataBuffer();
        long at = 0;
        offsets.setInt(0, 0);
        for (int r = 0; r < n; r++) {
            byte[] e = enc[r];
            if (e != null) {
                data.setBytes(at, e, 0, e.length);
                at += e.length;
            }
            BitVectorHelper.setValidityBit(validity, r, e == null ? 0 : 1);
            offsets.setInt((long) (r + 1) * VarCharVector.OFFSET_WIDTH, (int) at);
        }
        w.setLastSet(n - 1);
    }
}
