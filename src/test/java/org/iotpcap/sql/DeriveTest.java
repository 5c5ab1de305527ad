package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.semantic.tables.TcpConnections;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableSink;
import org.junit.jupiter.api.Test;

/**
 * derive.sql's columns on real DuckDB: the values its text gives, the rows in their loaded order, the declared
 * columns (generated ones still generated), and no memory held that DuckDB cannot spill (an UPDATE of every row
 * held memory DuckDB cannot spill for as long as an in-memory database lived).
 */
class DeriveTest {
    private static final TcpConnections C = TcpConnections.T;
    private static final Names N = Names.T;

    /**
     * {@code rows} TCP connections to 10.0.0.(i % 8): .7 has no name, .2 two of them, the others one each
     * ({@code hN.example}).
     */
    private static void load(Database db, int rows) throws Exception {
        try (ArrowStreams loader = new ArrowStreams(db, Projection.ALL)) {
            TableSink sink = new TableSink(loader, Projection.ALL);
            sink.capture("c");
            sink.writer(N).begin().set(N.name, "b.example").set(N.address, "10.0.0.2").set(N.firstFrame, 1L).end();
            sink.writer(N).begin().set(N.name, "one.example").set(N.address, "10.0.0.1").set(N.firstFrame, 2L).end();
            sink.writer(N).begin().set(N.name, "a.example").set(N.address, "10.0.0.2").set(N.firstFrame, 3L).end();
            for (int h : new int[] {0, 3, 4, 5, 6}) {
                sink.writer(N).begin().set(N.name, "h" + h + ".example").set(N.address, "10.0.0." + h)
                        .set(N.firstFrame, 4L + h).end();
            }
            for (int i = 0; i < rows; i++) {
                sink.writer(C).begin().set(C.stream, (long) i).set(C.server, "10.0.0." + (i % 8))
                        .set(C.startNs, 1_000_000_000L * i).end();
            }
            sink.close();
        }
    }

    @Test
    void derivedColumns_haveTheirValues_inTheLoadedOrder_withTheDeclaredColumns() throws Exception {
        try (Database db = Database.inMemory()) {
            load(db, 5_000);
            db.derive();
            List<String> got = new ArrayList<>();
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT stream, server, server_name, epoch(start_time) FROM tcp_connections ORDER BY rowid")) {
                while (rs.next()) {
                    got.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4));
                }
            }
            assertThat(got).hasSize(5_000);
            for (int i = 0; i < 5_000; i++) {
                String name = switch (i % 8) {
                    case 1 -> "one.example";
                    case 2 -> "a.example,b.example";
                    case 7 -> "null";
                    default -> "h" + (i % 8) + ".example";
                };
                assertThat(got.get(i)).isEqualTo(i + " 10.0.0." + (i % 8) + " " + name + " " + i);
            }
            List<String> columns = new ArrayList<>();
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'tcp_connections'"
                            + " ORDER BY column_index")) {
                while (rs.next()) {
                    columns.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            List<String> expected = new ArrayList<>();
            for (org.iotpcap.table.Column c : C.columns()) {
                expected.add(c.name() + " " + c.type().name());
            }
            expected.add("server_name VARCHAR");
            assertThat(columns).containsExactlyElementsOf(expected);
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT sql FROM duckdb_tables() WHERE table_name = 'tcp_connections'")) {
                rs.next();
                assertThat(rs.getString(1)).as("still a generated column").containsIgnoringCase("start_time TIMESTAMP_NS GENERATED ALWAYS AS");
            }
        }
    }

    @Test
    void afterDerive_duckDbCanSpillEverything() throws Exception {
        try (Database db = Database.inMemory()) {
            load(db, 2_000_000);
            db.derive();
            // An UPDATE of these 2 M rows kept 8.4 MB under DuckDB's ALLOCATOR tag, which no memory limit evicts:
            // a limit of 8 MB could not be set then (on a 10 GB capture that memory outgrew a 256 MB limit).
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'ALLOCATOR'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("bytes DuckDB cannot spill").isLessThan(1L << 20);
            }
            db.execute("SET memory_limit = '8MB'");
            db.execute("SET memory_limit = '32MB'"); // the rows are all there, read back from the spill
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(server_name) FROM tcp_connections")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2_000_000 / 8 * 7);
            }
        }
    }
}
