package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.semantic.ModelSink;
import org.iotpcap.semantic.Table;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two-thread load (DuckDB appending on a second thread) writes exactly the tables of the one-thread load. */
class ParallelLoadTest {

    static List<TestCapture> fixtures() {
        return TestCaptures.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void parallelLoad_writesTheSameTablesAsTheSingleThreadedLoad(TestCapture capture) throws Exception {
        CaptureLoader.Options one = new CaptureLoader.Options(Bindings.defaults(), false).withParallel(false);
        try (Database a = Database.inMemory(); Database b = Database.inMemory()) {
            CaptureLoader.load(capture.path().toString(), one, a);
            CaptureLoader.load(capture.path().toString(), one.withParallel(true), b);
            long frames = 0;
            for (Table t : Table.values()) {
                List<List<Object>> single = rows(a, t);
                List<List<Object>> parallel = rows(b, t);
                assertThat(parallel).as(t.sqlName()).containsExactlyElementsOf(single);
                if (t == Table.FRAMES) {
                    frames = single.size();
                }
            }
            assertThat(frames).as("frames loaded").isPositive();
        }
    }

    /** Rows in table order (the order the loader appended them), every column as text. */
    private static List<List<Object>> rows(Database db, Table t) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + t.sqlName() + " ORDER BY rowid")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : String.valueOf(v));
                }
                out.add(row);
            }
        }
        return out;
    }

    /**
     * Many hand-offs of tiny batches: every table still gets its rows in the order they were produced (frames and
     * other rows of one batch are replayed separately, so only the order within each table is kept, which is what
     * a table is).
     */
    @Test
    void smallBatches_keepTheOrderOfEveryTable() {
        Recorder direct = new Recorder();
        Recorder viaThread = new Recorder();
        AsyncModelSink async = new AsyncModelSink(viaThread, 3);
        Random rnd = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            for (ModelSink s : List.of(direct, async)) {
                if (i % 3 == 0) {
                    s.frame(i, i * 10L, 0, 60, 60, 4, "127.0.0.1", "127.0.0.2", "udp", 1, 2, i % 5, null);
                } else {
                    Table t = Table.values()[1 + i % (Table.values().length - 1)];
                    s.row(t, (long) i, "v" + i, i % 2 == 0);
                }
            }
            if (rnd.nextInt(100) == 0) {
                Thread.yield();
            }
        }
        async.close();
        assertThat(viaThread.log).hasSize(10_000);
        for (Table t : Table.values()) {
            String prefix = t == Table.FRAMES ? "frame " : t + " ";
            assertThat(viaThread.log.stream().filter(l -> l.startsWith(prefix)).toList()).as(t.sqlName())
                    .isNotEmpty()
                    .containsExactlyElementsOf(direct.log.stream().filter(l -> l.startsWith(prefix)).toList());
        }
    }

    @Test
    void writerFailure_isRethrownToTheProducer() {
        ModelSink failing = new Recorder() {
            @Override
            public void row(Table table, Object... values) {
                throw new IllegalArgumentException("cannot store row " + values[0]);
            }
        };
        AsyncModelSink async = new AsyncModelSink(failing, 2);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                async.row(Table.MALFORMED, (long) i);
            }
            async.close();
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot store row 0");
    }

    private static class Recorder implements ModelSink {
        final List<String> log = new ArrayList<>();

        @Override
        public void row(Table table, Object... values) {
            log.add(table + " " + java.util.Arrays.toString(values));
        }

        @Override
        public void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src, String dst,
                          String transport, int srcPort, int dstPort, long stream, String protocol) {
            log.add("frame " + frame + " " + nanos + " " + src + " " + dst + " " + transport + " " + stream);
        }
    }
}
