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
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableLoadException;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableSink;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The load through one Arrow stream per table, each on its own thread ({@link ArrowStreams}), writes exactly the
 * tables of the one-thread load (one INSERT per batch, {@link ArrowLoader}).
 */
class ParallelLoadTest {

    static List<TestCapture> fixtures() {
        return TestCaptures.fixtures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void parallelLoad_writesTheSameTablesAsTheSingleThreadedLoad(TestCapture capture) throws Exception {
        CaptureLoader.Options one = new CaptureLoader.Options(Bindings.defaults(), false).withParallel(false);
        assertThat(CaptureLoader.streams(one.withParallel(true))).as("the test heap (-Xmx2g) loads through streams")
                .isTrue();
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
     * Many tiny batches of two tables through their streams into real DuckDB: every table gets exactly the rows
     * written to it, in the order they were written, and DuckDB's threads setting is back afterwards.
     */
    @Test
    void smallBatches_keepTheOrderOfEveryTable() throws Exception {
        Malformed m = Malformed.T;
        org.iotpcap.semantic.tables.Names names = org.iotpcap.semantic.tables.Names.T;
        List<String> wroteMalformed = new ArrayList<>();
        List<String> wroteNames = new ArrayList<>();
        Random rnd = new Random(7);
        try (Database db = Database.inMemory()) {
            String threads = db.setting("threads");
            try (ArrowStreams loader = new ArrowStreams(db, Projection.ALL)) {
                TableSink sink = new TableSink(loader, 3, 2);
                for (int i = 0; i < 10_000; i++) {
                    if (rnd.nextInt(3) == 0) {
                        sink.writer(m).begin().set(m.frame, i).set(m.reason, "r" + i).end();
                        wroteMalformed.add(i + " r" + i);
                    } else {
                        sink.writer(names).begin().set(names.name, "n" + i).end();
                        wroteNames.add("n" + i);
                    }
                }
                sink.close();
            }
            assertThat(column(db, "SELECT frame || ' ' || reason FROM malformed ORDER BY rowid"))
                    .hasSizeGreaterThan(3_000).containsExactlyElementsOf(wroteMalformed);
            assertThat(column(db, "SELECT name FROM names ORDER BY rowid"))
                    .hasSizeGreaterThan(6_000).containsExactlyElementsOf(wroteNames);
            assertThat(db.setting("threads")).isEqualTo(threads);
        }
    }

    /**
     * The one-INSERT-per-batch path inside a load's transaction commits every so many rows: another connection
     * sees rows before the load ends, and the table holds every row in the order written.
     */
    @Test
    void batchInserts_commitDuringTheLoad_keepingEveryRowInOrder(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        Malformed m = Malformed.T;
        try (Database db = Database.create(dir.resolve("c.duckdb"))) {
            db.connection().setAutoCommit(false);
            long seenMidway;
            try (ArrowLoader loader = new ArrowLoader(db, Projection.ALL, 1_000, db.connection()::commit)) {
                TableSink sink = new TableSink(loader, 100, 2);
                for (int i = 0; i < 5_050; i++) {
                    sink.writer(m).begin().set(m.frame, i).set(m.reason, "r" + i).end();
                }
                try (var other = db.duplicate(); Statement s = other.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM malformed")) {
                    rs.next();
                    seenMidway = rs.getLong(1);
                }
                sink.close();
            }
            db.connection().commit();
            assertThat(seenMidway).as("rows committed before the load ended").isBetween(1_000L, 5_049L);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 5_050; i++) {
                expected.add(i + " r" + i);
            }
            assertThat(column(db, "SELECT frame || ' ' || reason FROM malformed ORDER BY rowid"))
                    .containsExactlyElementsOf(expected);
        }
    }

    /** A table DuckDB cannot store: the failure reaches the producer, which never waits for the dead statement. */
    @Test
    void failingStatement_isRethrownToTheProducer() throws Exception {
        try (Database db = Database.inMemory()) {
            db.execute("DROP TABLE malformed");
            db.execute(Ddl.createTable(Malformed.T).replace("frame BIGINT", "frame BIGINT CHECK (frame < 5000)"));
            assertThatThrownBy(() -> {
                try (ArrowStreams loader = new ArrowStreams(db, Projection.ALL)) {
                    TableSink sink = new TableSink(loader, 16, 2);
                    for (int i = 0; i < 100_000; i++) {
                        sink.writer(Malformed.T).begin().set(Malformed.T.frame, i).end();
                    }
                    sink.close();
                }
            }).isInstanceOf(TableLoadException.class).hasMessageContaining("malformed").hasMessageContaining("CHECK");
        }
    }

    /**
     * The one-INSERT-per-batch path inside a load's transaction: the statement's own failure reaches the producer,
     * not the "transaction is aborted" of the view dropped after it (which hid DuckDB's out-of-memory errors).
     */
    @Test
    void failingInsertInsideTheTransaction_isTheFailureRethrown() throws Exception {
        try (Database db = Database.inMemory()) {
            db.execute("DROP TABLE malformed");
            db.execute(Ddl.createTable(Malformed.T).replace("frame BIGINT", "frame BIGINT CHECK (frame < 50)"));
            db.connection().setAutoCommit(false);
            assertThatThrownBy(() -> {
                try (ArrowLoader loader = new ArrowLoader(db, Projection.ALL, db.connection()::commit)) {
                    TableSink sink = new TableSink(loader, 16, 2);
                    for (int i = 0; i < 100; i++) {
                        sink.writer(Malformed.T).begin().set(Malformed.T.frame, i).end();
                    }
                    sink.close();
                }
            }).isInstanceOf(TableLoadException.class).hasMessageContaining("CHECK")
                    .hasMessageNotContaining("aborted");
            db.connection().rollback();
        }
    }

    private static List<String> column(Database db, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
