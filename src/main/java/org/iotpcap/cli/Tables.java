package org.iotpcap.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.analysis.SqlValues;

/** Prints rows as an aligned text table, CSV (RFC 4180) or JSON (an array of objects). */
final class Tables {
    private Tables() {}

    enum Format { table, csv, json }

    static void print(PrintWriter out, ResultSet rs, Format format) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> r = new ArrayList<>();
            for (int i = 1; i <= cols.size(); i++) {
                r.add(SqlValues.plain(rs.getObject(i)));
            }
            rows.add(r);
        }
        print(out, cols, rows, format);
    }

    static void print(PrintWriter out, List<String> cols, List<List<Object>> rows, Format format) {
        switch (format) {
            case csv -> {
                out.println(String.join(",", cols.stream().map(Tables::csv).toList()));
                for (List<Object> r : rows) {
                    out.println(String.join(",", r.stream().map(v -> v == null ? "" : csv(String.valueOf(v))).toList()));
                }
            }
            case json -> out.println(Json.write(objects(cols, rows)));
            default -> table(out, cols, rows);
        }
    }

    static List<Map<String, Object>> objects(List<String> cols, List<List<Object>> rows) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < cols.size(); i++) {
                m.put(cols.get(i), r.get(i));
            }
            list.add(m);
        }
        return list;
    }

    static void table(PrintWriter out, List<String> cols, List<List<Object>> rows) {
        table(out, cols, rows, 60);
    }

    /** Aligned text; cells longer than {@code maxCell} characters are cut with "...". */
    static void table(PrintWriter out, List<String> cols, List<List<Object>> rows, int maxCell) {
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
        out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
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
