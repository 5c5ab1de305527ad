package org.iotpcap.semantic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-only {@link ModelSink} that keeps every row as a map from column name to value. The column names come from
 * the schema resource (generated columns left out, as the sink contract says), so a row with the wrong number of
 * values fails here.
 */
final class RecordingSink implements ModelSink {
    private static final Map<Table, List<String>> COLUMNS = columns();

    final Map<Table, List<Map<String, Object>>> rows = new EnumMap<>(Table.class);

    @Override
    public void row(Table table, Object... values) {
        List<String> cols = COLUMNS.get(table);
        if (cols.size() != values.length) {
            throw new AssertionError(table + ": " + values.length + " values for " + cols.size() + " columns " + cols);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(cols.get(i), values[i]);
        }
        rows.computeIfAbsent(table, t -> new ArrayList<>()).add(m);
    }

    @Override
    public void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src, String dst,
                      String transport, int srcPort, int dstPort, long stream, String protocol) {
        row(Table.FRAMES, frame, nanos, iface, capLen, len, ipVersion, src, dst, transport, srcPort, dstPort, stream,
                protocol);
    }

    List<Map<String, Object>> rows(Table t) {
        return rows.getOrDefault(t, List.of());
    }

    private static Map<Table, List<String>> columns() {
        String schema;
        try (InputStream in = RecordingSink.class.getResourceAsStream("/org/iotpcap/sql/schema.sql")) {
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        schema = schema.replaceAll("(?m)^--.*$", "");
        Map<Table, List<String>> out = new EnumMap<>(Table.class);
        Matcher m = Pattern.compile("CREATE TABLE (\\w+) \\(").matcher(schema);
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            int start = i;
            List<String> defs = new ArrayList<>();
            for (; depth > 0; i++) {
                char c = schema.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 1) {
                    defs.add(schema.substring(start, i));
                    start = i + 1;
                }
            }
            defs.add(schema.substring(start, i - 1));
            List<String> cols = new ArrayList<>();
            for (String d : defs) {
                if (!d.contains("GENERATED")) {
                    cols.add(d.strip().split("\\s+")[0]);
                }
            }
            out.put(Table.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT)), cols);
        }
        return out;
    }
}
