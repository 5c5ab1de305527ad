package org.iotpcap.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.analysis.SqlValues;

/**
 * Prints rows as an aligned text table, CSV (RFC 4180) or JSON (an array of objects). CSV and JSON stream the
 * rows as the {@link ResultSet} yields them; the text table keeps the rows it prints (at most the limit) to
 * align them. With a limit, the rows past it are counted, not printed: the table ends
 * {@code ... and M more} and {@code (N rows)} with N the total; CSV and JSON stop after the limit.
 */
final class Tables {
    private Tables() {}

    enum Format { table, csv, json }

    /** Prints at most {@code limit} rows of {@code rs}; returns how many rows it had in all. */
    static long print(PrintWriter out, ResultSet rs, Format format, long limit)
            throws SQLException, java.io.IOException {
        switch (format) {
            case csv -> {
                List<String> cols = Json.columns(rs);
                out.println(String.join(",", cols.stream().map(Tables::csv).toList()));
                long total = 0;
                while (rs.next()) {
                    if (total++ < limit) {
                        StringBuilder line = new StringBuilder();
                        for (int i = 1; i <= cols.size(); i++) {
                            Object v = SqlValues.plain(rs.getObject(i));
                            line.append(i == 1 ? "" : ",").append(v == null ? "" : csv(String.valueOf(v)));
                        }
                        out.println(line);
                    }
                }
                return total;
            }
            case json -> {
                com.fasterxml.jackson.core.JsonGenerator g = Json.open(out);
                long total = Json.rows(g, rs, limit);
                Json.finish(g, out);
                return total;
            }
            default -> {
                Collected c = collect(ResultRows.of(rs), limit);
                table(out, c.columns(), c.rows(), 60, c.total());
                return c.total();
            }
        }
    }

    /** The first {@code limit} rows of a result set as plain values, and how many rows it had in all. */
    record Collected(List<String> columns, List<List<Object>> rows, long total) {}

    static Collected collect(ResultRows rs, long limit) throws SQLException {
        List<String> cols = rs.columns();
        List<List<Object>> rows = new ArrayList<>();
        long total = 0;
        while (rs.next()) {
            if (total++ < limit) {
                List<Object> r = new ArrayList<>(cols.size());
                for (int i = 0; i < cols.size(); i++) {
                    r.add(SqlValues.plain(rs.value(i)));
                }
                rows.add(r);
            }
        }
        return new Collected(cols, rows, total);
    }

    /** Aligned text; cells longer than {@code maxCell} characters are cut with "...". */
    static void table(PrintWriter out, List<String> cols, List<List<Object>> rows, int maxCell) {
        table(out, cols, rows, maxCell, rows.size());
    }

    /** As above, for the first rows of {@code total}: the last line also says how many were not shown. */
    static void table(PrintWriter out, List<String> cols, List<List<Object>> rows, int maxCell, long total) {
        int[] w = new int[cols.size()];
        for (int i = 0; i < cols.size(); i++) {
            w[i] = cols.get(i).length();
        }
        List<String[]> cells = new ArrayList<>();
        for (List<Object> r : rows) {
            String[] c = new String[cols.size()];
            for (int i = 0; i < c.length; i++) {
                Object v = r.get(i);
                String s = v == null ? "NULL" : String.valueOf(v).replace("\n", "\\n").replace("\r", "\\r");
                if (s.length() > maxCell) {
                    s = s.substring(0, maxCell - 3) + "...";
                }
                c[i] = s;
                w[i] = Math.max(w[i], s.length());
            }
            cells.add(c);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i == 0 ? "" : "  ").append(pad(cols.get(i), w[i]));
        }
        out.println(sb.toString().stripTrailing());
        sb.setLength(0);
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(w[i]));
        }
        out.println(sb);
        for (String[] c : cells) {
            sb.setLength(0);
            for (int i = 0; i < c.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(pad(c[i], w[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
        if (total > rows.size()) {
            out.println("... and " + (total - rows.size()) + " more");
        }
        out.println("(" + total + " row" + (total == 1 ? "" : "s") + ")");
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    static String csv(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
