package org.iotpcap.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.analysis.AnalysisResult;

/**
 * The self-contained HTML report: SQL over the tables (the same as {@code query} sees) gives one JSON document,
 * which the page's script ({@code report.js}) draws with Apache ECharts, inlined with it (see {@code README.md}
 * beside the resources). A Content-Security-Policy forbids every load but the page's own inline script and style,
 * so nothing leaves the page. Long tables are capped at {@link #ROWS} rows with the number left off; time is
 * aggregated into at most {@link #BUCKETS} buckets; so the page stays small whatever the capture's size.
 */
public final class Report {
    private Report() {}

    /** Rows kept of any table; the rest is counted ("and N more"). */
    public static final int ROWS = 1000;
    /** Connections and exchanges whose ladder diagram the page carries, and messages per diagram. */
    public static final int LADDERS = 200;
    public static final int LADDER_MESSAGES = 100;
    /** Time buckets of the traffic chart at most. */
    public static final int BUCKETS = 300;

    /**
     * Jackson writes the page's data; every "<" (only ever inside a JSON string) is then written as its JSON escape,
     * so that no text from the capture can close or alter the script element that holds it.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** An analysis that could not run (an unresolved DNS name), with the reason. */
    public record Failed(String analysis, String question, String reason) {}

    /**
     * The HTML page for the database behind {@code c}.
     *
     * @param interfaces the capture's interfaces as read (names, link types), or null when the tables come from
     *                   an index, which keeps only the interface ids of the frames
     */
    /** An analysis run: its result and the first {@link #ROWS} evidence rows with their column names. */
    public record Analysed(AnalysisResult result, List<String> columns, List<List<Object>> rows) {
        /** Runs {@code a} and keeps its result and first {@link #ROWS} evidence rows. */
        public static Analysed run(org.iotpcap.analysis.AnalysisRunner runner, org.iotpcap.analysis.Analysis a,
                                   Map<String, String> given) throws SQLException, java.io.IOException {
            List<String> columns = new ArrayList<>();
            List<List<Object>> rows = new ArrayList<>();
            AnalysisResult r = runner.run(a, given, (res, rs) -> {
                var md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                while (rows.size() < ROWS && rs.next()) {
                    List<Object> row = new ArrayList<>(columns.size());
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            });
            return new Analysed(r, columns, rows);
        }
    }

    public static String html(Connection c, String title, List<org.iotpcap.capture.CaptureInterface> interfaces,
                              List<Analysed> results, List<Failed> failed) throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("title", title);
        data.put("rows_cap", ROWS);
        data.put("overview", overview(c, interfaces));
        data.put("traffic", traffic(c));
        data.put("mqtt", mqtt(c));
        data.put("coap", coap(c));
        data.put("dns", Map.of("names", table(c, "SELECT name, address, first_frame, chain FROM names ORDER BY name, address")));
        data.put("analyses", analyses(results, failed));
        String json;
        try {
            json = JSON.writeValueAsString(data).replace("<", "\\u003c");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("report data not writable as JSON", e);
        }
        String page = resource("report.html");
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("/*TITLE*/", escape(title));
        parts.put("/*STYLE*/", resource("report.css"));
        parts.put("/*ECHARTS*/", resource("echarts.common.min.js").replace("</script", "<\\/script"));
        parts.put("/*DATA*/", json);
        parts.put("/*SCRIPT*/", resource("report.js"));
        // each marker is replaced in the template only, never inside what an earlier one inserted
        StringBuilder out = new StringBuilder(page.length() + 1_000_000 + json.length());
        int at = 0;
        for (Map.Entry<String, String> e : parts.entrySet()) {
            int i = page.indexOf(e.getKey(), at);
            out.append(page, at, i).append(e.getValue());
            at = i + e.getKey().length();
        }
        return out.append(page.substring(at)).toString();
    }

    private static Map<String, Object> overview(Connection c, List<org.iotpcap.capture.CaptureInterface> interfaces)
            throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> f = row(c, "SELECT count(*) AS frames, coalesce(sum(cap_len), 0) AS bytes, "
                + "min(time_ns) AS first_ns, max(time_ns) AS last_ns, "
                + "strftime(min(time), '%Y-%m-%dT%H:%M:%S.%fZ') AS first_time, "
                + "strftime(max(time), '%Y-%m-%dT%H:%M:%S.%fZ') AS last_time FROM frames");
        m.putAll(f);
        Map<String, Object> counts = table(c, "SELECT interface, count(*) AS frames, sum(cap_len) AS bytes FROM frames "
                + "GROUP BY interface ORDER BY interface");
        if (interfaces != null && interfaces.size() <= ROWS) {
            Map<Object, List<?>> byId = new LinkedHashMap<>();
            for (Object r : (List<?>) counts.get("rows")) {
                byId.put(((Number) ((List<?>) r).get(0)).intValue(), (List<?>) r);
            }
            List<Object> rows = new ArrayList<>();
            for (org.iotpcap.capture.CaptureInterface i : interfaces) {
                List<?> n = byId.get(i.id());
                rows.add(java.util.Arrays.asList(i.id(), i.name(), i.linkType() + " " + i.linkTypeName(), i.snapLength(),
                        n == null ? 0 : n.get(1), n == null ? 0 : n.get(2)));
            }
            counts = new LinkedHashMap<>(Map.of("columns", List.of("interface", "name", "link_type", "snap_length",
                    "frames", "bytes"), "rows", rows, "total", rows.size()));
        }
        m.put("interfaces", counts);
        m.put("protocols", table(c, "SELECT coalesce(protocol, transport, 'not IP') AS protocol, count(*) AS frames, "
                + "sum(cap_len) AS bytes FROM frames GROUP BY ALL ORDER BY frames DESC, protocol"));
        m.put("messages", table(c, "SELECT 'dns' AS protocol, count(*) AS messages FROM dns_messages "
                + "UNION ALL SELECT 'coap', count(*) FROM coap_messages UNION ALL SELECT 'mqtt', count(*) FROM mqtt_messages "
                + "UNION ALL SELECT 'mqttsn', count(*) FROM mqttsn_messages"));
        m.put("malformed", table(c, "SELECT layer, reason, count(*) AS records, min(frame) AS first_frame "
                + "FROM malformed GROUP BY ALL ORDER BY records DESC, reason"));
        m.put("malformed_total", row(c, "SELECT count(*) AS n FROM malformed").get("n"));
        return m;
    }

    /** Frames per protocol per bucket; the bucket is a 1-2-5 step of time that gives at most BUCKETS buckets. */
    private static Map<String, Object> traffic(Connection c) throws SQLException {
        Map<String, Object> span = row(c, "SELECT min(time_ns) AS a, max(time_ns) AS b FROM frames");
        Map<String, Object> m = new LinkedHashMap<>();
        if (span.get("a") == null) {
            m.put("bucket_ns", 0);
            m.put("series", table(c, "SELECT 1 WHERE false"));
            return m;
        }
        long a = ((Number) span.get("a")).longValue();
        long b = ((Number) span.get("b")).longValue();
        long bucket = bucket(b - a);
        m.put("bucket_ns", bucket);
        m.put("start_ns", a);
        m.put("series", table(c, "SELECT (time_ns - " + a + ") // " + bucket + " AS bucket, "
                + "coalesce(protocol, transport, 'not IP') AS protocol, count(*) AS frames FROM frames "
                + "GROUP BY ALL ORDER BY bucket, protocol", BUCKETS * 20));
        return m;
    }

    /** The smallest of 1, 2 and 5 times a power of ten nanoseconds (from 1 microsecond) giving at most BUCKETS buckets. */
    static long bucket(long spanNs) {
        for (long p = 1_000; ; p *= 10) {
            for (long f : new long[] {1, 2, 5}) {
                if (spanNs / (p * f) < BUCKETS) {
                    return p * f;
                }
            }
        }
    }

    private static Map<String, Object> mqtt(Connection c) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        // broker_name: the names derive.sql gives each broker from its own capture's DNS answers
        m.put("brokers", table(c, "SELECT cn.broker, cn.broker_port, "
                + "string_agg(DISTINCT cn.broker_name, ',' ORDER BY cn.broker_name) AS names, "
                + "count(*) AS connections, count(DISTINCT cn.client_key) AS clients FROM mqtt_connections cn "
                + "GROUP BY ALL ORDER BY connections DESC, broker"));
        m.put("clients", table(c, "SELECT client_key, client_id, broker, broker_port, endpoint, connections, first_frame, "
                + "last_frame FROM mqtt_clients ORDER BY first_frame"));
        m.put("connections", table(c, "SELECT stream, client_id, client, client_port, broker, broker_port, protocol_level, "
                + "connect_frame, connack_code, start_ns, end_ns, start_frame, end_frame, ended_by, messages "
                + "FROM mqtt_connections ORDER BY start_frame"));
        m.put("topics", table(c, "SELECT topic, count(*) AS publishes, count(*) FILTER (WHERE retain) AS retained, "
                + "min(frame) AS first_frame FROM mqtt_messages WHERE type = 'PUBLISH' AND topic IS NOT NULL "
                + "GROUP BY topic ORDER BY topic"));
        m.put("subscriptions", table(c, "SELECT s.stream, s.client_key, s.broker, s.filter, s.qos, s.granted, "
                + "s.subscribe_frame, s.removed_frame, (SELECT count(*) FROM mqtt_deliveries d WHERE d.stream = s.stream "
                + "AND list_contains(string_split(d.matching_filters, ' '), s.filter)) AS delivered FROM mqtt_subscriptions s "
                + "ORDER BY s.subscribe_frame, s.filter"));
        m.put("wills", table(c, "SELECT w.stream, w.client_id, w.broker, w.will_topic, w.will_qos, w.will_retain, "
                + "w.connect_frame, w.fired, w.fired_frame, w.ended_by, w.deliveries, (SELECT string_agg(DISTINCT "
                + "d.client_key, ', ') FROM mqtt_deliveries d WHERE d.is_will AND d.will_stream = w.stream) AS delivered_to "
                + "FROM mqtt_wills w ORDER BY w.connect_frame"));
        m.put("incomplete_qos", table(c, "SELECT stream, direction, client_key, broker, packet_id, qos, topic, "
                + "publish_frame, puback_frame, pubrec_frame, pubrel_frame, stopped_after FROM mqtt_qos_flows "
                + "WHERE NOT complete ORDER BY publish_frame"));
        m.put("ladders", table(c, "WITH s AS (SELECT stream FROM mqtt_connections ORDER BY start_frame LIMIT " + LADDERS
                + ") SELECT m.stream, m.frame, m.time_ns, m.direction, m.type, m.topic, m.packet_id, m.qos "
                + "FROM mqtt_messages m JOIN s USING (stream) "
                + "QUALIFY row_number() OVER (PARTITION BY m.stream ORDER BY m.frame, m.time_ns) <= " + LADDER_MESSAGES
                + " ORDER BY m.stream, m.frame", LADDERS * LADDER_MESSAGES));
        return m;
    }

    private static Map<String, Object> coap(Connection c) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by_resource", table(c, "SELECT server, server_port, coalesce(path, '/') AS path, method, "
                + "coalesce(response_code, 'none') AS response, count(*) AS exchanges, sum(retransmissions) AS retransmissions "
                + "FROM coap_exchanges WHERE method IS NOT NULL GROUP BY ALL ORDER BY server, path, method, response"));
        m.put("exchanges", table(c, "SELECT row_number() OVER (ORDER BY first_frame) AS n, client, client_port, server, "
                + "server_port, type, method, path, mid, token, first_frame, requests, retransmissions, response_kind, "
                + "response_frame, response_code, rtt_ms, observe FROM coap_exchanges ORDER BY first_frame"));
        m.put("rtt", table(c, "SELECT CASE WHEN rtt_ms < 1 THEN '< 1 ms' WHEN rtt_ms < 10 THEN '1-10 ms' "
                + "WHEN rtt_ms < 100 THEN '10-100 ms' WHEN rtt_ms < 1000 THEN '100 ms-1 s' ELSE '>= 1 s' END AS bucket, "
                + "min(rtt_ms) AS lo, count(*) AS exchanges FROM coap_exchanges WHERE rtt_ms IS NOT NULL "
                + "GROUP BY 1 ORDER BY lo"));
        m.put("observe", table(c, "SELECT frame, src, dst, type, code, path, observe, token FROM coap_messages "
                + "WHERE observe IS NOT NULL ORDER BY frame"));
        m.put("blockwise", table(c, "SELECT frame, src, dst, type, code, path, block1_num, block1_more, block1_size, "
                + "block2_num, block2_more, block2_size FROM coap_messages "
                + "WHERE block1_num IS NOT NULL OR block2_num IS NOT NULL ORDER BY frame"));
        m.put("ladders", table(c, "WITH e AS (SELECT row_number() OVER (ORDER BY first_frame) AS n, * FROM coap_exchanges "
                + "ORDER BY first_frame LIMIT " + LADDERS + ") SELECT e.n, m.frame, m.time_ns, "
                + "CASE WHEN m.src = e.client AND m.src_port = e.client_port THEN 'c2s' ELSE 's2c' END AS direction, "
                + "m.type, m.code, m.mid, m.token FROM coap_messages m JOIN e ON (m.src = e.client AND m.src_port = "
                + "e.client_port AND m.dst = e.server AND m.dst_port = e.server_port OR m.dst = e.client AND m.dst_port = "
                + "e.client_port AND m.src = e.server AND m.src_port = e.server_port) AND (m.mid = e.mid OR "
                + "m.token IS NOT DISTINCT FROM e.token AND m.frame = e.response_frame) AND m.frame >= e.first_frame "
                + "AND m.frame <= greatest(e.last_frame, coalesce(e.response_frame, 0), coalesce(e.ack_frame, 0)) "
                + "QUALIFY row_number() OVER (PARTITION BY e.n ORDER BY m.frame) <= " + LADDER_MESSAGES
                + " ORDER BY e.n, m.frame", LADDERS * LADDER_MESSAGES));
        return m;
    }

    private static List<Object> analyses(List<Analysed> results, List<Failed> failed) {
        List<Object> out = new ArrayList<>();
        for (Analysed ran : results) {
            AnalysisResult r = ran.result();
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("analysis", r.analysis().name());
            a.put("question", r.analysis().question());
            List<Object> ps = new ArrayList<>();
            for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", p.name());
                pm.put("value", p.value());
                pm.put("addresses", p.addresses().stream().map(x -> x.address()
                        + (x.frame() != null ? " (DNS answer in frame " + x.frame() + ")" : "")).toList());
                ps.add(pm);
            }
            a.put("parameters", ps);
            a.put("answer", value(r.answer()));
            a.put("display_filter", r.displayFilter());
            List<Object> rows = new ArrayList<>();
            for (List<Object> row : ran.rows()) {
                rows.add(row.stream().map(Report::value).toList());
            }
            a.put("evidence", Map.of("columns", ran.columns(), "rows", rows, "total", r.evidenceTotal()));
            out.add(a);
        }
        for (Failed f : failed) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("analysis", f.analysis());
            a.put("question", f.question());
            a.put("error", f.reason());
            out.add(a);
        }
        return out;
    }

    private static Map<String, Object> row(Connection c, String sql) throws SQLException {
        Map<String, Object> t = table(c, sql);
        @SuppressWarnings("unchecked")
        List<List<Object>> rows = (List<List<Object>>) t.get("rows");
        @SuppressWarnings("unchecked")
        List<String> cols = (List<String>) t.get("columns");
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            m.put(cols.get(i), rows.isEmpty() ? null : rows.get(0).get(i));
        }
        return m;
    }

    private static Map<String, Object> table(Connection c, String sql) throws SQLException {
        return table(c, sql, ROWS);
    }

    /** {columns, rows (at most cap), total}: the total counts every row, so the page can say how many it left off. */
    private static Map<String, Object> table(Connection c, String sql, int cap) throws SQLException {
        List<String> cols = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        long total = 0;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
            }
            while (rs.next()) {
                total++;
                if (rows.size() < cap) {
                    List<Object> row = new ArrayList<>(cols.size());
                    for (int i = 1; i <= cols.size(); i++) {
                        row.add(value(rs.getObject(i)));
                    }
                    rows.add(row);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("columns", cols);
        m.put("rows", rows);
        m.put("total", total);
        return m;
    }

    /** JSON's values: numbers and booleans as they are, lists as lists, anything else as its text. */
    static Object value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof java.sql.Array a) {
            try {
                Object[] items = (Object[]) a.getArray();
                List<Object> out = new ArrayList<>();
                for (Object o : items) {
                    out.add(value(o));
                }
                return out;
            } catch (SQLException e) {
                return v.toString();
            }
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Report::value).toList();
        }
        if (v instanceof byte[] b) {
            return java.util.HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = Report.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
