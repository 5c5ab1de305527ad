package org.iotpcap.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.iotpcap.bytes.ByteView;
import org.junit.jupiter.api.Test;

/** Rows through typed setters into batches: values, nulls, blob copies, batch boundaries, tables nobody reads. */
class TableSinkTest {
    static final class T extends TableDeclaration {
        static final T T = new T();
        final Column.Int64 id = int64("id", "row number");
        final Column.Time time = time("time", id, "as a timestamp");
        final Column.Text name = text("name", "a name");
        final Column.Blob bytes = blob("bytes", "some bytes");
        final Column.Bool flag = bool("flag", "a flag");

        private T() {
            super("t", "a test table");
        }
    }

    static final class U extends TableDeclaration {
        static final U U = new U();
        final Column.Int32 n = int32("n", "a number");

        private U() {
            super("u", "another test table");
        }
    }

    @Test
    void rowsArriveInBatches_withTheirValuesNullsAndCopiedBlobs() {
        List<List<Object>> rows = new ArrayList<>();
        List<Integer> batchSizes = new ArrayList<>();
        BatchConsumer c = b -> {
            batchSizes.add(b.rows());
            for (int r = 0; r < b.rows(); r++) {
                List<Object> row = new ArrayList<>();
                for (Column col : b.table().storedColumns()) {
                    Object v = b.value(col, r);
                    row.add(v instanceof byte[] a ? new String(a) : v);
                }
                rows.add(row);
            }
            b.release();
        };
        byte[] buffer = "xxhelloyy".getBytes();
        try (TableSink sink = new TableSink(c, 3, 1)) {
            RowWriter w = sink.writer(T.T);
            for (int i = 0; i < 7; i++) {
                w.begin().set(T.T.id, i).set(T.T.bytes, i % 2 == 0 ? ByteView.of(buffer, 2, 5) : null);
                if (i != 3) {
                    w.set(T.T.name, "n" + i);
                }
                w.set(T.T.flag, i > 4).end();
                buffer[2] = (byte) 'H'; // the batch holds its own copy of what was set before
            }
        }
        assertThat(T.T.storedColumns()).extracting(Column::name).containsExactly("id", "name", "bytes", "flag");
        assertThat(batchSizes).containsExactly(3, 3, 1);
        assertThat(rows.get(0)).containsExactly(0L, "n0", "hello", false);
        assertThat(rows.get(2)).containsExactly(2L, "n2", "Hello", false);
        assertThat(rows.get(3)).containsExactly(3L, null, null, false);
        assertThat(rows.get(6)).containsExactly(6L, "n6", "Hello", true);
    }

    @Test
    void aRowBegunAndNotEnded_leavesNothingInTheNext() {
        List<List<Object>> rows = new ArrayList<>();
        BatchConsumer c = b -> {
            rows.addAll(rowsOf(b));
            b.release();
        };
        try (TableSink sink = new TableSink(c, 2, 1)) {
            RowWriter w = sink.writer(T.T);
            w.begin().set(T.T.id, 1).set(T.T.name, "abandoned").set(T.T.flag, true); // never ended
            w.begin().set(T.T.id, 2).end();
            w.begin().set(T.T.id, 3).set(T.T.name, "three").end();
            w.begin().set(T.T.name, "abandoned too"); // the batch is full and handed on before this one
            w.begin().set(T.T.id, 4).end();
        }
        assertThat(rows).containsExactly(java.util.Arrays.asList(2L, null, null, null),
                java.util.Arrays.asList(3L, "three", null, null), java.util.Arrays.asList(4L, null, null, null));
    }

    @Test
    void tablesNobodyReads_dropTheirRowsAtOnce() {
        List<String> seen = new ArrayList<>();
        TableSink sink = new TableSink(b -> {
            seen.add(b.table().name() + ":" + b.rows());
            b.release();
        }, Projection.of(Set.of(U.U)));
        RowWriter t = sink.writer(T.T);
        RowWriter u = sink.writer(U.U);
        assertThat(t.enabled()).isFalse();
        assertThat(u.enabled()).isTrue();
        for (int i = 0; i < 5; i++) {
            t.begin().set(T.T.id, i).end();
            u.begin().set(U.U.n, i).end();
        }
        sink.close();
        assertThat(seen).containsExactly("u:5");
        assertThat(sink.rows(T.T)).isZero();
        assertThat(sink.rows(U.U)).isEqualTo(5);
    }
    @Test
    void columnsOutsideTheProjection_stayNull_andTheWriterSaysItDoesNotWantThem() {
        Projection p = Projection.named(Map.of(T.T, Set.of("time", "flag"), U.U, Set.of()), List.of(U.U));
        List<List<Object>> rows = new ArrayList<>();
        List<Object> unheld = new ArrayList<>();
        try (TableSink sink = new TableSink(b -> {
            if (b.table() == T.T) {
                unheld.add(b.blobArena(T.T.bytes)); // a column outside the projection gets no arrays at all
            }
            rows.addAll(rowsOf(b));
            b.release();
        }, 4, 1, p)) {
            RowWriter t = sink.writer(T.T);
            RowWriter u = sink.writer(U.U);
            assertThat(t.wants(T.T.time)).as("a generated column is wanted when its source is").isTrue();
            assertThat(t.wants(T.T.id)).isTrue();
            assertThat(t.wants(T.T.flag)).isTrue();
            assertThat(t.wants(T.T.name)).isFalse();
            assertThat(t.wants(T.T.bytes)).isFalse();
            assertThat(u.wants(U.U.n)).as("a table loaded whole").isTrue();
            t.begin().set(T.T.id, 7).set(T.T.name, "dropped").set(T.T.bytes, new byte[] {1}).set(T.T.flag, true).end();
            u.begin().set(U.U.n, 3).end();
        }
        assertThat(rows).containsExactly(java.util.Arrays.asList(7L, null, null, true), List.of(3));
        assertThat(unheld).containsExactly((Object) null);
    }

    @Test
    void aTableNobodyReads_wantsNoColumn() {
        RowWriter t = new TableSink(b -> b.release(), Projection.of(Set.of(U.U))).writer(T.T);
        assertThat(t.wants(T.T.id)).isFalse();
        assertThat(t.wants(T.T.time)).isFalse();
    }

    @Test
    void batchesShrinkWithTheHeap_rowsAndBlobBytesAlike() {
        long full = org.iotpcap.bytes.Limits.FULL_STATE_HEAP_BYTES;
        assertThat(TableSink.rowsForHeap(full)).isEqualTo(TableSink.DEFAULT_ROWS);
        assertThat(TableSink.rowsForHeap(4 * full)).isEqualTo(TableSink.DEFAULT_ROWS);
        int third = TableSink.rowsForHeap(full / 3);
        assertThat(third).isLessThan(TableSink.DEFAULT_ROWS / 2).isGreaterThanOrEqualTo(TableSink.MIN_ROWS);
        assertThat(TableSink.rowsForHeap(1L << 20)).isEqualTo(TableSink.MIN_ROWS);

        // a batch of 4 rows is full after 4 KiB of blob bytes, however few rows it holds
        List<Integer> batchSizes = new ArrayList<>();
        byte[] kib = new byte[1500];
        try (TableSink sink = new TableSink(b -> {
            batchSizes.add(b.rows());
            b.release();
        }, 4, 1)) {
            RowWriter w = sink.writer(T.T);
            for (int i = 0; i < 6; i++) {
                w.begin().set(T.T.id, i).set(T.T.bytes, ByteView.of(kib, 0, kib.length)).end();
            }
        }
        assertThat(4 * Batch.BLOB_BYTES_PER_ROW).isLessThan(3 * kib.length);
        assertThat(batchSizes).containsExactly(3, 3);
    }

    /** The batch's rows, each as its stored columns' values. */
    private static List<List<Object>> rowsOf(Batch b) {
        List<List<Object>> rows = new ArrayList<>();
        for (int r = 0; r < b.rows(); r++) {
            List<Object> row = new ArrayList<>();
            for (Column col : b.table().storedColumns()) {
                row.add(b.value(col, r));
            }
            rows.add(row);
        }
        return rows;
    }
}
