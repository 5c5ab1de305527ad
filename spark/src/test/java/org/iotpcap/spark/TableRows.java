package org.iotpcap.spark;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.iotpcap.sql.Database;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/**
 * A table's rows as comparable text, from DuckDB (the CLI's path) or from Spark: one line per row, every declared
 * column, values in one notation (numbers as Java prints them, blobs as hex, timestamps as microseconds since the
 * epoch, NULL), grouped by the row's capture and sorted (the row order of a table is not part of its meaning).
 */
final class TableRows {
    private TableRows() {}

    private static final HexFormat HEX = HexFormat.of();

    /** Every row of {@code t} in {@code db}, by capture. */
    static Map<String, List<String>> duckdb(Database db, TableDeclaration t) throws SQLException {
        StringBuilder cols = new StringBuilder();
        for (Column c : t.columns()) {
            cols.append(cols.isEmpty() ? "" : ", ").append(c instanceof Column.Time ? "epoch_us(" + c.name() + ")" : c.name());
        }
        Map<String, List<String>> out = new TreeMap<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT " + cols + " FROM " + t.name())) {
            int n = t.columns().size();
            while (rs.next()) {
                List<Object> values = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    values.add(v instanceof java.sql.Blob b ? b.getBytes(1, (int) b.length()) : v);
                }
                add(out, t, values);
            }
        }
        return sorted(out);
    }

    /** Rows read by Spark (every declared column, in order), by capture. */
    static Map<String, List<String>> spark(List<Row> rows, TableDeclaration t) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Row r : rows) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                Object v = r.get(i);
                if (v instanceof LocalDateTime ldt) {
                    java.time.Instant at = ldt.toInstant(ZoneOffset.UTC);
                    v = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
                }
                values.add(v);
            }
            add(out, t, values);
        }
        return sorted(out);
    }

    private static void add(Map<String, List<String>> out, TableDeclaration t, List<Object> values) {
        StringBuilder line = new StringBuilder();
        for (Object v : values) {
            line.append(line.isEmpty() ? "" : " | ").append(v == null ? "NULL" : v instanceof byte[] b ? HEX.formatHex(b) : v);
        }
        String capture = String.valueOf(values.get(t.columns().indexOf(t.captureColumn())));
        out.computeIfAbsent(capture, k -> new ArrayList<>()).add(line.toString());
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> m) {
        m.values().forEach(java.util.Collections::sort);
        return m;
    }
}
