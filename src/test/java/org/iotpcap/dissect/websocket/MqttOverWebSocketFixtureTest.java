package org.iotpcap.dissect.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.cli.Main;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSockets on real peers: {@code fixtures/websocket/mqtt-ws.pcapng}, made by
 * {@code fixtures/generate mqtt-ws} (mosquitto 2.0.11 websockets listeners on 9001 and 8080, paho-mqtt clients
 * and {@code fixtures/tools/ws_raw.py}). tshark 4.0 decodes no MQTT inside WebSocket, so the expected packets are
 * the clients' own record ({@code mqtt-ws.pcapng.record.json}): for every connection (by client identifier) and
 * direction, the MQTT packets iotpcap decodes must be the recorded ones, in order, with their types, topics,
 * QoS, packet identifiers and payloads. The analyses must count the ws connections as the record says.
 */
class MqttOverWebSocketFixtureTest {
    static final Path CAPTURE = Path.of("fixtures", "websocket", "mqtt-ws.pcapng");
    static final Path RECORD = Path.of("fixtures", "websocket", "mqtt-ws.pcapng.record.json");
    static List<Map<String, Object>> connections;

    @BeforeAll
    static void readRecord() throws Exception {
        assertThat(CAPTURE).as("run fixtures/generate mqtt-ws").isRegularFile();
        Map<String, Object> rec = TestJson.object(TestJson.parse(Files.readString(RECORD)));
        connections = new ArrayList<>();
        for (Object c : TestJson.array(rec.get("connections"))) {
            connections.add(TestJson.object(c));
        }
        assertThat(connections).hasSize(3);
    }

    /** One decoded packet: client id, direction, and the fields the record has. */
    record Row(String clientId, String direction, String transport, String type, String topic, Integer qos,
                       Integer packetId, byte[] payload, String filters) {}

    private static List<Row> decode(Bindings bindings) throws Exception {
        return decode(CAPTURE, bindings);
    }

    private static List<Row> decodeFile(Path capture) throws Exception {
        return decode(capture, Bindings.defaults());
    }

    private static List<Row> decode(Path capture, Bindings bindings) throws Exception {
        return decode(capture, new CaptureLoader.Options(bindings, false));
    }

    /** The MQTT packets of every connection, in capture order, with the client id of their connection. */
    static List<Row> decode(Path capture, CaptureLoader.Options options) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(capture.toString(), options, db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT c.client_id, m.direction, m.transport, m.type, m.topic, m.qos,"
                         + " m.packet_id, m.payload, m.filters FROM mqtt_messages m JOIN mqtt_connections c USING (stream)"
                         + " ORDER BY m.rowid")) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            (Integer) rs.getObject(6), (Integer) rs.getObject(7), rs.getBytes(8), rs.getString(9)));
                }
            }
        }
        return rows;
    }

    @Test
    void every_recorded_packet_decoded_in_order() throws Exception {
        List<Row> rows = decode(Bindings.defaults());
        assertThat(rows).extracting(Row::transport).containsOnly("ws");
        assertRecorded(connections, rows);
    }

    /**
     * For every recorded connection (by client identifier) and direction, the decoded packets are the recorded
     * ones, in order; and there are no others.
     */
    static void assertRecorded(List<Map<String, Object>> connections, List<Row> rows) throws Exception {
        int total = 0;
        for (Map<String, Object> conn : connections) {
            String id = (String) conn.get("client_id");
            for (String dir : List.of("c2s", "s2c")) {
                List<Object> expected = TestJson.array(conn.get(dir.equals("c2s") ? "sent" : "received"));
                List<Row> got = rows.stream().filter(r -> id.equals(r.clientId()) && r.direction().equals(dir)).toList();
                assertThat(got).as("%s %s: %s", id, dir, got).hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    check(TestJson.object(expected.get(i)), got.get(i), id + " " + dir + " #" + i);
                }
                total += expected.size();
            }
        }
        assertThat(rows).hasSize(total);
    }

    static void check(Map<String, Object> want, Row got, String where) throws Exception {
        assertThat(got.type()).as(where).isEqualTo(want.get("type"));
        if (want.containsKey("topic")) {
            assertThat(got.topic()).as(where).isEqualTo(want.get("topic"));
        }
        if (want.containsKey("qos")) {
            assertThat(got.qos()).as(where).isEqualTo(((Long) want.get("qos")).intValue());
        }
        if (want.containsKey("packet_id")) {
            assertThat(got.packetId()).as(where).isEqualTo(((Long) want.get("packet_id")).intValue());
        }
        if (want.containsKey("client_id")) {
            assertThat(got.clientId()).as(where).isEqualTo(want.get("client_id"));
        }
        if (want.containsKey("topics")) {
            for (Object t : TestJson.array(want.get("topics"))) {
                assertThat(got.filters()).as(where).contains((String) t);
            }
        }
        if (want.containsKey("payload_length")) {
            byte[] p = got.payload() == null ? new byte[0] : got.payload();
            assertThat(p.length).as(where).isEqualTo(((Long) want.get("payload_length")).intValue());
            if (want.containsKey("payload_hex")) {
                assertThat(HexFormat.of().formatHex(p)).as(where).isEqualTo(want.get("payload_hex"));
            } else {
                String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(p));
                assertThat(sha).as(where).isEqualTo(want.get("payload_sha256"));
            }
        }
    }

    @Test
    void connections_say_ws_and_none_is_malformed_but_the_non_minimal_length() throws Exception {
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            try (Statement s = db.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT client_id, transport, broker_port, ended_by FROM mqtt_connections"
                        + " ORDER BY stream");
                Map<String, String> got = new LinkedHashMap<>();
                while (rs.next()) {
                    got.put(rs.getString(1), rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4));
                }
                Map<String, String> want = new LinkedHashMap<>();
                for (Map<String, Object> c : connections) {
                    want.put((String) c.get("client_id"), "ws " + c.get("port") + " disconnect");
                }
                assertThat(got).isEqualTo(want);
                // ws_raw.py writes one frame with a 64-bit length for 56 bytes on purpose (RFC 6455 §5.2 says
                // the minimal form MUST be used); mosquitto accepts it; nothing else is wrong in the capture
                rs = s.executeQuery("SELECT layer || '/' || reason FROM malformed");
                List<String> problems = new ArrayList<>();
                while (rs.next()) {
                    problems.add(rs.getString(1));
                }
                assertThat(problems).containsExactly("websocket/non_minimal_length");
            }
        }
    }

    /**
     * A damaged record: RSV1 set on the header of ws_raw.py's frame with the 64-bit length (frame 215), as if
     * permessage-deflate were in use. That direction stops there, reported once; the connection keeps its row and
     * every packet before; the broker's direction and the other connections are decoded as before.
     */
    @Test
    void damaged_frame_stops_one_direction_and_the_run_goes_on(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        byte[] cap = Files.readAllBytes(CAPTURE);
        byte[] header = HexFormat.of().parseHex("82ff0000000000000038");
        int at = -1;
        for (int i = 0; i + header.length <= cap.length && at < 0; i++) {
            if (java.util.Arrays.equals(cap, i, i + header.length, header, 0, header.length)) {
                at = i;
            }
        }
        assertThat(at).isPositive();
        cap[at] = (byte) 0xC2;
        Path damaged = dir.resolve("damaged.pcapng");
        Files.write(damaged, cap);
        List<Row> before = decode(Bindings.defaults());
        List<Row> rows;
        List<String> problems = new ArrayList<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(damaged.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT frame, layer || '/' || reason FROM malformed ORDER BY frame")) {
                while (rs.next()) {
                    problems.add(rs.getLong(1) + " " + rs.getString(2));
                }
            }
        }
        rows = decodeFile(damaged);
        assertThat(problems).containsExactly("215 websocket/reserved_bits_set");
        Map<String, Object> raw = connections.stream().filter(c -> "ws-raw-9001".equals(c.get("client_id"))).findFirst()
                .orElseThrow();
        List<Object> sent = TestJson.array(raw.get("sent"));
        int len64 = 0;
        while (!"ws/raw/len64".equals(TestJson.object(sent.get(len64)).get("topic"))) {
            len64++;
        }
        assertThat(rows.stream().filter(r -> r.clientId().equals("ws-raw-9001") && r.direction().equals("c2s")))
                .hasSize(len64);
        assertThat(rows.stream().filter(r -> r.clientId().equals("ws-raw-9001") && r.direction().equals("s2c")))
                .hasSize(TestJson.array(raw.get("received")).size());
        assertThat(rows.stream().filter(r -> !r.clientId().equals("ws-raw-9001")).toList())
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(before.stream().filter(r -> !r.clientId().equals("ws-raw-9001")).toList());
    }

    @Test
    void mqtt_ws_binding_on_tcp_only() {
        assertThat(Binding.parse("tcp.port==9001,mqtt-ws"))
                .isEqualTo(new Binding(Binding.Transport.TCP, 9001, org.iotpcap.dissect.Protocol.MQTT_WS));
        assertThat(Binding.parse("tcp.port==9001:mqttws").toString()).isEqualTo("tcp.port==9001:mqtt-ws");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Binding.parse("udp.port==9001:mqtt-ws"))
                .hasMessageContaining("mqtt-ws does not run over udp");
        assertThat(Bindings.defaults().tcp(50000, 8083)).isEqualTo(org.iotpcap.dissect.Protocol.MQTT_WS);
        assertThat(Bindings.defaults().tcp(50000, 9001)).isNull();
    }

    @Test
    void without_heuristics_only_the_mqtt_ws_ports_are_found() throws Exception {
        List<Row> none = decode(new Bindings(List.of(), Heuristics.NONE));
        assertThat(none).extracting(Row::clientId).containsOnly("ws-paho-8080").isNotEmpty();
        List<Row> bound = decode(new Bindings(List.of(Binding.parse("tcp.port==9001,mqtt-ws")), Heuristics.NONE));
        assertThat(bound).hasSameSizeAs(decode(Bindings.defaults()));
    }

    @Test
    void analyses_count_the_ws_connections() {
        // clients whose recorded SUBSCRIBE holds a filter with '#' as a whole level
        long wildcard = connections.stream().filter(c -> TestJson.array(c.get("sent")).stream()
                .map(TestJson::object).filter(p -> "SUBSCRIBE".equals(p.get("type")))
                .flatMap(p -> TestJson.array(p.get("topics")).stream())
                .anyMatch(t -> ((String) t).equals("#") || ((String) t).endsWith("/#"))).count();
        assertThat(run("mqtt-wildcard-subscribers", "broker=local", "wildcard=#")).isEqualTo(wildcard);
        // QoS 1 and 2 flows of the record without their last acknowledgement from the other side
        long incomplete = 0;
        for (Map<String, Object> c : connections) {
            for (String dir : List.of("sent", "received")) {
                List<Map<String, Object>> mine = TestJson.array(c.get(dir)).stream().map(TestJson::object).toList();
                List<Map<String, Object>> theirs = TestJson.array(c.get(dir.equals("sent") ? "received" : "sent"))
                        .stream().map(TestJson::object).toList();
                for (Map<String, Object> p : mine) {
                    if ("PUBLISH".equals(p.get("type")) && (Long) p.get("qos") > 0) {
                        String last = (Long) p.get("qos") == 1 ? "PUBACK" : "PUBCOMP";
                        boolean done = theirs.stream().anyMatch(a -> last.equals(a.get("type"))
                                && p.get("packet_id").equals(a.get("packet_id")));
                        incomplete += done ? 0 : 1;
                    }
                }
            }
        }
        assertThat(run("mqtt-incomplete-qos-flows", "broker=local", "qos=any")).isEqualTo(incomplete);
        long qos1 = connections.stream().flatMap(c -> TestJson.array(c.get("sent")).stream()).map(TestJson::object)
                .filter(p -> "PUBLISH".equals(p.get("type")) && Long.valueOf(1).equals(p.get("qos"))).count();
        assertThat(qos1).isPositive();
    }

    private static long run(String analysis, String... sets) {
        List<String> args = new ArrayList<>(List.of("run", analysis, CAPTURE.toString(), "--format", "json"));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as("%s\n%s", args, err).isZero();
        return (Long) TestJson.object(TestJson.parse(out.toString().strip())).get("answer");
    }
}
