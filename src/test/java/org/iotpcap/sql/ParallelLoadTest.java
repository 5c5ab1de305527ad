package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.semantic.tables.Malformed;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.table.AsyncBatches;
import org.iotpcap.table.Batch;
import org.iotpcap.table.BatchConsumer;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableLoadException;
import org.iotpcap.table.TableSink;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two-thread load (DuckDB loading on a second thread) writes exactly the tables of the one-thread load. */
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
            for (TableDeclaration t : Tables.ALL) {
                List<List<Object>> single = rows(a, t);
                List<List<Object>> parallel = rows(b, t);
                assertThat(parallel).as(t.name()).containsExactlyElementsOf(single);
                if (t == org.iotpcap.semantic.tables.Frames.T) {
                    frames = single.size();
                }
            }
            assertThat(frames).as("frames loaded").isPositive();
        }
    }

    /** Rows in table order (the order the loader appended them), every column as text. */
    private static List<List<Object>> rows(Database db, TableDeclaration t) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + t.name() + " ORDER BY rowid")) {
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
     * Many hand-offs of tiny batches through the loading thread: every table still gets its rows in the order they
     * were written, and the rows are the ones written (which is what a table is).
     */
    @Test
    void smallBatches_keepTheOrderOfEveryTable() {
        Recorder direct = new Recorder();
        Recorder viaThread = new Recorder();
        TableSink a = new TableSink(direct, 3, 2);
        TableSink b = new TableSink(new AsyncBatches(viaThread, "test-loader"), 3, 2);
        Random rnd = new Random(7);
        Malformed m = Malformed.T;
        for (int i = 0; i < 10_000; i++) {
            TableDeclaration t = i % 3 == 0 ? Malformed.T : org.iotpcap.semantic.tables.Names.T;
            for (TableSink s : List.of(a, b)) {
                RowWriter w = s.writer(t).begin();
                if (t == Malformed.T) {
                    w.set(m.frame, i).set(m.reason, "r" + i);
                } else {
                    w.set(org.iotpcap.semantic.tables.Names.T.name, "n" + i);
                }
                w.end();
            }
            if (rnd.nextInt(100) == 0) {
                Thread.yield();
            }
        }
        a.close();
        b.close();
        assertThat(viaThread.log).hasSize(10_000).containsExactlyInAnyOrderElementsOf(direct.log);
        for (String prefix : List.of("malformed ", "names ")) {
            assertThat(viaThread.log.stream().filter(l -> l.startsWith(prefix)).toList()).as(prefix).isNotEmpty()
                    .containsExactlyElementsOf(direct.log.stream().filter(l -> l.startsWith(prefix)).toList());
        }
    }

    @Test
    void loaderFailure_isRethrownToTheProducer() {
        BatchConsumer failing = batch -> {
            throw new IllegalArgumentException("cannot store row " + batch.value(Malformed.T.frame, 0));
        };
        TableSink sink = new TableSink(new AsyncBatches(failing, "test-loader"), 2, 2);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                sink.writer(Malformed.T).begin().set(Malformed.T.frame, i).end();
            }
            sink.close();
        }).isInstanceOf(TableLoadException.class).hasMessageContaining("cannot store row 0");
    }

    private static final class Recorder implements BatchConsumer {
        final List<String> log = new ArrayList<>();

        @Override
        public void accept(Batch batch) {
            for (int r = 0; r < batch.rows(); r++) {
                List<Object> row = new ArrayList<>();
                for (var c : batch.table().storedColumns()) {
                    row.add(batch.value(c, r));
                }
                log.add(batch.table().name() + " " + row);
            }
            batch.release();
        }
    }
}
