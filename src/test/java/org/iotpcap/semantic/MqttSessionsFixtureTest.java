package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.iotpcap.analysis.AnalysisCatalog;
import org.iotpcap.analysis.AnalysisRunner;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker's view across connections on real peers: {@code fixtures/captures/mqtt-sessions.pcapng}, made by
 * {@code fixtures/generate sessions} (mosquitto 2.0.11 with persistent_client_expiration on 127.0.0.1:11883;
 * paho-mqtt 1.6 and mosquitto_pub/sub clients played by {@code fixtures/tools/sessions.py}). The truth is the
 * clients' own record beside it ({@code mqtt-sessions.pcapng.record.json}: what each client sent and received,
 * when it connected and left), never our output: {@code mqtt_sessions}, {@code mqtt_deliveries} (which session,
 * subscription and client PUBLISH each delivery stands for, and whether it was a stored retained message, a message
 * queued while the client was away, or live), {@code mqtt_retained} and the session analyses must say what the
 * record says. tshark checks the decoded fields of the same capture (the conformance tests run on every fixture).
 */
class MqttSessionsFixtureTest {
    static final Path CAPTURE = Path.of("fixtures", "captures", "mqtt-sessions.pcapng");
    static final Path RECORD = Path.of("fixtures", "captures", "mqtt-sessions.pcapng.record.json");
    static JsonNode record;
    static List<JsonNode> conns;
    static Database db;

    @BeforeAll
    static void load() throws Exception {
        assertThat(CAPTURE).as("run fixtures/generate sessions").isRegularFile();
        record = new ObjectMapper().readTree(Files.readString(RECORD));
        conns = new ArrayList<>();
        record.get("connections").forEach(conns::add);
        assertThat(conns).hasSizeGreaterThan(30);
        db = Database.inMemory();
        CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    static List<Map<String, Object>> query(String sql) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static List<JsonNode> packets(JsonNode conn, String way, String type) {
        List<JsonNode> out = new ArrayList<>();
        conn.get(way).forEach(p -> {
            if (p.get("type").asText().equals(type)) {
                out.add(p);
            }
        });
        return out;
    }

    /** The record's connections, each with its TCP stream: the k-th connection of a client id is its k-th stream. */
    static Map<Long, JsonNode> streams() throws Exception {
        Map<String, List<Long>> byId = new HashMap<>();
        for (Map<String, Object> r : query("SELECT stream, client_id FROM mqtt_connections ORDER BY stream")) {
            byId.computeIfAbsent((String) r.get("client_id"), k -> new ArrayList<>()).add((Long) r.get("stream"));
        }
        Map<String, Integer> seen = new HashMap<>();
        Map<Long, JsonNode> out = new TreeMap<>();
        for (JsonNode c : conns) {
            String id = c.get("client_id").asText();
            int k = seen.merge(id, 1, Integer::sum) - 1;
            assertThat(byId.get(id)).as("connections of %s", id).hasSizeGreaterThan(k);
            out.put(byId.get(id).get(k), c);
        }
        assertThat(out).hasSameSizeAs(conns);
        return out;
    }

    /** The record's sessions: a client id's run of connections up to one with Clean Session / Clean Start 1 or Session Present 0. */
    static Map<String, List<List<JsonNode>>> sessions() {
        Map<String, List<List<JsonNode>>> out = new LinkedHashMap<>();
        for (JsonNode c : conns) {
            List<List<JsonNode>> runs = out.computeIfAbsent(c.get("client_id").asText(), k -> new ArrayList<>());
            List<JsonNode> ack = packets(c, "received", "CONNACK");
            // paho reports Session Present; mosquitto_sub -d prints only the reason code
            boolean present = !ack.isEmpty() && (ack.get(0).has("session_present")
                    ? ack.get(0).get("session_present").asBoolean() : !c.get("clean").asBoolean());
            if (!runs.isEmpty() && !c.get("clean").asBoolean() && present) {
                runs.get(runs.size() - 1).add(c);
            } else {
                runs.add(new ArrayList<>(List.of(c)));
            }
        }
        return out;
    }

    /** (topic, payload) of every PUBLISH a client sent -> [client id, time sent]. */
    static Map<List<String>, List<Object>> published() {
        Map<List<String>, List<Object>> out = new HashMap<>();
        for (JsonNode c : conns) {
            for (JsonNode p : packets(c, "sent", "PUBLISH")) {
                out.put(List.of(p.get("topic").asText(), p.get("payload").asText()),
                        List.of(c.get("client_id").asText(), p.get("t").asDouble()));
            }
        }
        return out;
    }

    @Test
    void sessions_are_the_records_runs_of_connections() throws Exception {
        Map<String, List<Integer>> want = new TreeMap<>();
        sessions().forEach((id, runs) -> want.put(id, runs.stream().map(List::size).toList()));
        Map<String, List<Integer>> got = new TreeMap<>();
        for (Map<String, Object> r : query("SELECT client_key, connections FROM mqtt_sessions ORDER BY session")) {
            got.computeIfAbsent((String) r.get("client_key"), k -> new ArrayList<>()).add((Integer) r.get("connections"));
        }
        assertThat(got).isEqualTo(want);
        // the ones the record resumed are persistent and answered Session Present on each later connection
        for (Map<String, Object> r : query("SELECT client_key, connections, resumed, persistent, ended_by"
                + " FROM mqtt_sessions WHERE connections > 1")) {
            assertThat(r.get("resumed")).as("%s", r).isEqualTo((Integer) r.get("connections") - 1);
            assertThat(r.get("persistent")).as("%s", r).isEqualTo(true);
        }
        // v5-short's Session Expiry Interval (1 s) passed before it came back; v5-persist's ended by Clean Start 1
        assertThat(query("SELECT ended_by FROM mqtt_sessions WHERE client_key = 'v5-short'"))
                .extracting(r -> r.get("ended_by")).containsExactly("expired", "expired");
        assertThat(query("SELECT ended_by FROM mqtt_sessions WHERE client_key = 'v5-persist' ORDER BY session"))
                .extracting(r -> r.get("ended_by")).containsExactly("clean_start", "connection_end");
    }

    @Test
    void every_delivery_is_a_message_the_record_received_with_its_session_source_and_kind() throws Exception {
        Map<Long, JsonNode> streams = streams();
        Map<List<String>, List<Object>> published = published();
        Map<String, List<List<JsonNode>>> sessions = sessions();
        Map<Long, Long> sessionOfStream = new HashMap<>();
        int compared = 0;
        for (Map.Entry<Long, JsonNode> e : streams.entrySet()) {
            JsonNode c = e.getValue();
            List<JsonNode> want = packets(c, "received", "PUBLISH");
            List<Map<String, Object>> got = query("SELECT d.*, s.filter AS sub_filter, s.subscription_identifier AS sub_id,"
                    + " s.retain_as_published AS sub_rap, s.subscribe_ns AS sub_ns FROM mqtt_deliveries d"
                    + " LEFT JOIN mqtt_subscriptions s ON s.subscription = d.subscription"
                    + " WHERE d.stream = " + e.getKey() + " ORDER BY d.frame, d.rowid");
            assertThat(got).as("deliveries to %s", c.get("label")).hasSize(want.size());
            List<JsonNode> run = sessions.get(c.get("client_id").asText()).stream().filter(r -> r.contains(c))
                    .findFirst().orElseThrow();
            int at = run.indexOf(c);
            for (int i = 0; i < want.size(); i++) {
                JsonNode w = want.get(i);
                Map<String, Object> d = got.get(i);
                String where = c.get("label").asText() + " #" + i + " " + d;
                assertThat(d.get("topic")).as(where).isEqualTo(w.get("topic").asText());
                assertThat(d.get("qos")).as(where).isEqualTo(w.get("qos").asInt());
                assertThat(d.get("retain")).as(where).isEqualTo(w.get("retain").asBoolean());
                assertThat(d.get("payload_text")).as(where).isEqualTo(w.get("payload").asText());
                List<Object> src = published.get(List.of(w.get("topic").asText(), w.get("payload").asText()));
                if (src == null) {
                    assertThat(d.get("is_will")).as(where + ": no client published it, the broker's will").isEqualTo(true);
                    assertThat(d.get("source_client_key")).as(where).isNull();
                } else {
                    assertThat(d.get("source_client_key")).as(where).isEqualTo(src.get(0));
                }
                double sent = src == null ? 0 : (Double) src.get(1);
                boolean queued = at > 0 && src != null && sent > run.get(at - 1).get("ended").asDouble()
                        && sent < c.get("started").asDouble();
                boolean liveRap = Boolean.TRUE.equals(d.get("sub_rap")) && sent * 1e9 > ((Long) d.get("sub_ns"));
                String kind = w.get("retain").asBoolean() && !liveRap ? "retained" : queued ? "queued" : "live";
                assertThat(d.get("kind")).as(where).isEqualTo(kind);
                if (w.has("subscription_identifiers")) {
                    List<String> ids = new ArrayList<>();
                    w.get("subscription_identifiers").forEach(x -> ids.add(x.asText()));
                    assertThat(d.get("subscription_identifiers")).as(where).isEqualTo(String.join(" ", ids));
                    assertThat(ids).as(where).contains(String.valueOf(d.get("sub_id")));
                    assertThat(d.get("sub_filter")).as(where).isEqualTo(subscribedWith(run, (Integer) d.get("sub_id")));
                }
                assertThat(d.get("sub_filter")).as(where + ": a subscription of its session is behind it").isNotNull();
                assertThat(sessionOf(run, d.get("sub_filter"))).as(where).isTrue();
                Long session = (Long) d.get("session");
                for (JsonNode other : run) {
                    Long seen = sessionOfStream.putIfAbsent(streamOf(streams, other), session);
                    assertThat(seen == null || seen.equals(session)).as(where).isTrue();
                }
                compared++;
            }
        }
        assertThat(compared).isEqualTo(query("SELECT * FROM mqtt_deliveries").size()).isGreaterThan(20);
    }

    private static long streamOf(Map<Long, JsonNode> streams, JsonNode c) {
        return streams.entrySet().stream().filter(e -> e.getValue() == c).findFirst().orElseThrow().getKey();
    }

    /** The filter of the record's SUBSCRIBE in this session that carried the Subscription Identifier. */
    private static String subscribedWith(List<JsonNode> run, Integer id) {
        for (JsonNode c : run) {
            for (JsonNode s : packets(c, "sent", "SUBSCRIBE")) {
                if (id != null && s.has("subscription_identifier") && s.get("subscription_identifier").asInt() == id) {
                    return s.get("filters").get(0).get("filter").asText();
                }
            }
        }
        return null;
    }

    /** The session's connections subscribed to this filter (on any of them: a persistent session keeps it). */
    private static boolean sessionOf(List<JsonNode> run, Object filter) {
        for (JsonNode c : run) {
            for (JsonNode s : packets(c, "sent", "SUBSCRIBE")) {
                for (JsonNode f : s.get("filters")) {
                    if (f.get("filter").asText().equals(filter)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void shared_subscriptions_deliver_each_message_once_per_group() throws Exception {
        // the record: every shared/N message received by exactly one of share-a and share-b (group g1)
        Map<String, List<String>> g1 = new TreeMap<>();
        for (JsonNode c : conns) {
            String id = c.get("client_id").asText();
            if (id.equals("share-a") || id.equals("share-b")) {
                packets(c, "received", "PUBLISH").forEach(p -> g1.computeIfAbsent(p.get("topic").asText(),
                        k -> new ArrayList<>()).add(id));
            }
        }
        assertThat(g1).hasSize(4).allSatisfy((t, who) -> assertThat(who).hasSize(1));
        Map<String, List<String>> got = new TreeMap<>();
        for (Map<String, Object> r : query("SELECT topic, client_key FROM mqtt_deliveries WHERE share_group = 'g1'")) {
            got.computeIfAbsent((String) r.get("topic"), k -> new ArrayList<>()).add((String) r.get("client_key"));
        }
        assertThat(got).isEqualTo(g1);
    }

    @Test
    void retained_messages_as_the_broker_stored_them() throws Exception {
        // the record's retained PUBLISHes per topic, in order: each non-empty one is stored until the next
        Map<String, List<JsonNode>> byTopic = new LinkedHashMap<>();
        Map<JsonNode, String> publisher = new HashMap<>();
        for (JsonNode c : conns) {
            for (JsonNode p : packets(c, "sent", "PUBLISH")) {
                if (p.get("retain").asBoolean()) {
                    byTopic.computeIfAbsent(p.get("topic").asText(), k -> new ArrayList<>()).add(p);
                    publisher.put(p, c.get("client_id").asText());
                }
            }
        }
        double lastTime = conns.stream().mapToDouble(c -> c.get("ended").asDouble()).max().orElseThrow();
        Map<List<String>, Integer> retainedReceived = new HashMap<>();
        for (JsonNode c : conns) {
            for (JsonNode p : packets(c, "received", "PUBLISH")) {
                if (p.get("retain").asBoolean() && !c.get("client_id").asText().equals("rap-on")) {
                    retainedReceived.merge(List.of(p.get("topic").asText(), p.get("payload").asText()), 1, Integer::sum);
                }
            }
        }
        List<List<Object>> want = new ArrayList<>();
        byTopic.forEach((topic, list) -> {
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i);
                String payload = p.get("payload").asText();
                if (payload.isEmpty()) {
                    continue;
                }
                String end;
                if (i + 1 < list.size()) {
                    end = list.get(i + 1).get("payload").asText().isEmpty() ? "cleared" : "replaced";
                } else if (p.has("message_expiry") && p.get("t").asDouble() + p.get("message_expiry").asInt() < lastTime) {
                    end = "expired";
                } else {
                    end = "capture_end";
                }
                want.add(List.of(topic, payload, publisher.get(p), end,
                        (long) retainedReceived.getOrDefault(List.of(topic, payload), 0)));
            }
        });
        List<List<Object>> got = new ArrayList<>();
        for (Map<String, Object> r : query("SELECT topic, payload_text, client_key, ended_by, subscribe_deliveries,"
                + " known_from FROM mqtt_retained ORDER BY frame")) {
            assertThat(r.get("known_from")).isEqualTo("publish");
            got.add(List.of(r.get("topic"), r.get("payload_text"), r.get("client_key"), r.get("ended_by"),
                    r.get("subscribe_deliveries")));
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(want);
    }

    @Test
    void the_analyses_rows_are_the_records() throws Exception {
        AnalysisCatalog catalog = AnalysisCatalog.builtIn();
        // messages no client received
        Map<List<String>, List<Object>> published = published();
        java.util.Set<List<String>> heard = new java.util.HashSet<>();
        conns.forEach(c -> packets(c, "received", "PUBLISH").forEach(p -> heard.add(
                List.of(p.get("topic").asText(), p.get("payload").asText()))));
        List<List<String>> unheard = new ArrayList<>();
        published.forEach((k, v) -> {
            if (!heard.contains(k)) {
                unheard.add(List.of((String) v.get(0), k.get(0), k.get(1)));
            }
        });
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> r : run(catalog, "mqtt-unreceived-publishes")) {
            rows.add(List.of((String) r.get("publisher"), (String) r.get("topic"),
                    Objects.toString(r.get("payload_text"), "")));
        }
        assertThat(rows).containsExactlyInAnyOrderElementsOf(unheard);
        // per topic: deliveries and receivers of the clients' messages (not the broker's will)
        Map<String, Integer> deliveries = new TreeMap<>();
        Map<String, java.util.Set<String>> receivers = new TreeMap<>();
        published.keySet().forEach(k -> deliveries.put(k.get(0), 0));
        conns.forEach(c -> packets(c, "received", "PUBLISH").forEach(p -> {
            if (published.containsKey(List.of(p.get("topic").asText(), p.get("payload").asText()))) {
                deliveries.merge(p.get("topic").asText(), 1, Integer::sum);
                receivers.computeIfAbsent(p.get("topic").asText(), k -> new java.util.TreeSet<>())
                        .add(c.get("client_id").asText());
            }
        }));
        Map<String, Integer> gotDeliveries = new TreeMap<>();
        for (Map<String, Object> r : run(catalog, "mqtt-topic-fan-out")) {
            String topic = (String) r.get("topic");
            gotDeliveries.put(topic, ((Number) r.get("deliveries")).intValue());
            assertThat(((Number) r.get("receivers")).intValue()).as(topic)
                    .isEqualTo(receivers.getOrDefault(topic, java.util.Set.of()).size());
        }
        assertThat(gotDeliveries).isEqualTo(deliveries);
        // who got a retained message at subscribe time, and from whom
        List<List<String>> retained = new ArrayList<>();
        for (JsonNode c : conns) {
            for (JsonNode p : packets(c, "received", "PUBLISH")) {
                if (p.get("retain").asBoolean() && !c.get("client_id").asText().equals("rap-on")) {
                    retained.add(List.of(c.get("client_id").asText(), p.get("topic").asText(),
                            (String) published.get(List.of(p.get("topic").asText(), p.get("payload").asText())).get(0)));
                }
            }
        }
        List<List<String>> gotRetained = new ArrayList<>();
        for (Map<String, Object> r : run(catalog, "mqtt-retained-at-subscribe")) {
            gotRetained.add(List.of((String) r.get("receiver"), (String) r.get("topic"), (String) r.get("publisher")));
        }
        assertThat(gotRetained).containsExactlyInAnyOrderElementsOf(retained).isNotEmpty();
    }

    /**
     * Held state is capped: with room for one session, one retained message and one remembered PUBLISH, the
     * waiting persistent sessions and the stored messages are written early with ended_by 'limit', each cap is a
     * counted diagnostic, and every delivery still has its row.
     */
    @Test
    void tiny_limits_end_sessions_and_retained_messages_early_and_say_so() throws Exception {
        org.iotpcap.bytes.Limits.Semantic d = org.iotpcap.bytes.Limits.Semantic.DEFAULTS;
        org.iotpcap.bytes.Limits.Semantic tiny = new org.iotpcap.bytes.Limits.Semantic(
                d.mqttMaxSubscriptionsPerConnection(), d.mqttMaxFiredWills(), d.mqttMaxClients(),
                d.coapMaxOpenExchanges(), d.coapMaxOpenTransfers(), d.coapMaxTransferBytes(),
                d.coapMaxHeldTransferBytes(), d.dnsMaxNames(), 1, 1, 1);
        try (Database small = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(Bindings.defaults(), false,
                    org.iotpcap.bytes.Limits.DEFAULTS.withSemantic(tiny)), small);
            try (Statement s = small.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT reason, count(*) FROM malformed WHERE layer = 'semantic'"
                        + " GROUP BY reason ORDER BY reason");
                Map<String, Long> got = new TreeMap<>();
                while (rs.next()) {
                    got.put(rs.getString(1), rs.getLong(2));
                }
                assertThat(got).containsOnlyKeys("mqtt_publish_limit", "mqtt_retained_limit", "mqtt_session_limit");
                assertThat(got.get("mqtt_publish_limit")).isEqualTo(1);
                rs = s.executeQuery("SELECT (SELECT count(*) FROM mqtt_sessions WHERE ended_by = 'limit'),"
                        + " (SELECT count(*) FROM malformed WHERE reason = 'mqtt_session_limit'),"
                        + " (SELECT count(*) FROM mqtt_retained WHERE ended_by = 'limit'),"
                        + " (SELECT count(*) FROM malformed WHERE reason = 'mqtt_retained_limit'),"
                        + " (SELECT count(*) FROM mqtt_deliveries)");
                rs.next();
                assertThat(rs.getLong(1)).isPositive().isEqualTo(rs.getLong(2));
                assertThat(rs.getLong(3)).isPositive().isEqualTo(rs.getLong(4));
                assertThat(rs.getLong(5)).isEqualTo(query("SELECT * FROM mqtt_deliveries").size());
            }
        }
    }

    private static List<Map<String, Object>> run(AnalysisCatalog catalog, String name) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        new AnalysisRunner(db.connection()).run(catalog.get(name), Map.of(), (result, rs) -> {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
        });
        assertThat(rows).as(name).isNotEmpty();
        return rows;
    }
}
