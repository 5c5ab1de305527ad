package org.iotpcap.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.Test;

/** A batch copied into Arrow vectors reads back the values, nulls and texts it was written with. */
class ArrowBatchesTest {

    @Test
    void fill_copiesEveryValueAndNull_textsAsUtf8() {
        TableSinkTest.T t = TableSinkTest.T.T;
        String shared = "same";
        // nulls first, last and in a row; one text value repeated by reference; empty and non-ASCII texts
        List<String> names = Arrays.asList(null, shared, shared, "", "grüße/€/温度", null, null, "a/b", shared, null);
        List<Batch> batches = new ArrayList<>();
        try (TableSink sink = new TableSink(batches::add, 64, 2)) {
            RowWriter w = sink.writer(t);
            for (int i = 0; i < names.size(); i++) {
                w.begin().set(t.id, i).set(t.name, names.get(i));
                if (i % 3 != 0) {
                    w.set(t.bytes, new byte[] {(byte) i, 0, (byte) 0xff}).set(t.flag, i % 2 == 0);
                }
                w.end();
            }
        }
        assertThat(batches).hasSize(1);
        Batch b = batches.get(0);
        try (BufferAllocator a = ArrowBatches.newAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(ArrowBatches.schema(t), a)) {
            ArrowBatches.fill(b, root);
            assertThat(root.getRowCount()).isEqualTo(names.size());
            for (int r = 0; r < names.size(); r++) {
                List<Object> got = new ArrayList<>();
                for (FieldVector v : root.getFieldVectors()) {
                    Object o = v.getObject(r);
                    got.add(o instanceof Text x ? x.toString() : o instanceof byte[] y ? Arrays.toString(y) : o);
                }
                List<Object> want = Arrays.asList((long) r, names.get(r),
                        r % 3 != 0 ? Arrays.toString(new byte[] {(byte) r, 0, (byte) 0xff}) : null,
                        r % 3 != 0 ? r % 2 == 0 : null);
                assertThat(got).as("row " + r).isEqualTo(want);
            }
            assertThat(root.getVector("name").getNullCount()).isEqualTo(4);
        }
        b.release();
    }
}
