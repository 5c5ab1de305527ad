package org.iotpcap.dissect.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.dissect.Protocol;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.dissect.tls.TlsSession;
import org.iotpcap.engine.Engine;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestJson;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.testing.TsharkRecords;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSockets inside TLS (wss) on real peers: {@code fixtures/websocket/mqtt-wss.pcapng}, made by
 * {@code fixtures/generate mqtt-wss} (mosquitto 2.0.11 websockets listeners with TLS on 8081 and 443, bound to
 * mqtt-wss by default, and 9443, bound to nothing; paho-mqtt clients over TLS 1.3 and TLS 1.2 writing
 * {@code mqtt-wss.keylog}). tshark 4.0 decodes no MQTT inside WebSocket: the clients' own record
 * ({@code mqtt-wss.pcapng.record.json}) is the truth for the MQTT packets and the TLS version; tshark with the key
 * log is the oracle for the TLS and WebSocket layers (the bytes the WebSocket frames carry).
 */
class MqttOverWssFixtureTest {
    static final Path CAPTURE = Path.of("fixtures", "websocket", "mqtt-wss.pcapng");
    static final Path RECORD = Path.of("fixtures", "websocket", "mqtt-wss.pcapng.record.json");
    static final Path KEYLOG = Path.of("fixtures", "websocket", "mqtt-wss.keylog");
    /** 9443 is bound to nothing: TLS by the user, then the HTTP Upgrade in the decrypted bytes tells. */
    static final List<Binding> TLS_9443 = List.of(Binding.parse("tcp.port==9443:tls"));
    static List<Map<String, Object>> connections;

    @BeforeAll
    static void readRecord() throws Exception {
        assertThat(CAPTURE).as("run fixtures/generate mqtt-wss").isRegularFile();
        Map<String, Object> rec = TestJson.object(TestJson.parse(Files.readString(RECORD)));
        connections = new ArrayList<>();
        for (Object c : TestJson.array(rec.get("connections"))) {
            connections.add(TestJson.object(c));
        }
        assertThat(connections).extracting(c -> c.get("port")).containsExactly(8081L, 443L, 9443L);
    }

    private static CaptureLoader.Options options(Bindings bindings, List<Path> keyLogs) {
        return new CaptureLoader.Options(bindings, false, Limits.DEFAULTS, false, null,
                Pipeline.ProgressListener.NONE, keyLogs);
    }

    private static List<MqttOverWebSocketFixtureTest.Row> decode(List<Binding> bindings, Heuristics h)
            throws Exception {
        return MqttOverWebSocketFixtureTest.decode(CAPTURE, options(new Bindings(bindings, h), List.of(KEYLOG)));
    }

    @Test
    void every_recorded_packet_decoded_in_order_over_wss() throws Exception {
        List<MqttOverWebSocketFixtureTest.Row> rows = decode(TLS_9443, Heuristics.DEFAULTS);
        assertThat(rows).extracting(MqttOverWebSocketFixtureTest.Row::transport).containsOnly("wss");
        MqttOverWebSocketFixtureTest.assertRecorded(connections, rows);
    }

    @Test
    void connections_say_wss_and_the_recorded_tls_version() throws Exception {
        Map<String, String> mqtt = new LinkedHashMap<>();
        Map<Integer, String> tls = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), options(new Bindings(TLS_9443, Heuristics.DEFAULTS),
                    List.of(KEYLOG)), db);
            try (Statement s = db.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT client_id, transport, broker_port, ended_by FROM mqtt_connections"
                        + " ORDER BY stream");
                while (rs.next()) {
                    mqtt.put(rs.getString(1), rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4));
                }
                rs = s.executeQuery("SELECT t.server_port, version, sni, decrypted, not_decrypted_reason, inner_protocol,"
                        + " p.protocol FROM tls_connections t JOIN tcp_connections p USING (stream) ORDER BY t.stream");
                while (rs.next()) {
                    tls.put(rs.getInt(1), rs.getString(2) + " " + rs.getString(3) + " " + rs.getBoolean(4) + " "
                            + rs.getString(5) + " " + rs.getString(6) + " " + rs.getString(7));
                }
                rs = s.executeQuery("SELECT layer || '/' || reason FROM malformed");
                while (rs.next()) {
                    problems.add(rs.getString(1));
                }
            }
        }
        Map<String, String> wantMqtt = new LinkedHashMap<>();
        Map<Integer, String> wantTls = new LinkedHashMap<>();
        for (Map<String, Object> c : connections) {
            wantMqtt.put((String) c.get("client_id"), "wss " + c.get("port") + " disconnect");
            // Python's SSLSocket.version(): "TLSv1.3"
            String version = ((String) c.get("tls_version")).replace("TLSv", "TLS ");
            wantTls.put(((Long) c.get("port")).intValue(), version + " " + c.get("sni") + " true null mqtt-ws tls");
        }
        assertThat(mqtt).isEqualTo(wantMqtt);
        assertThat(tls).isEqualTo(wantTls);
        assertThat(problems).isEmpty();
    }

    @Test
    void without_the_key_log_nothing_is_mqtt_and_the_tls_rows_say_no_keys() throws Exception {
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), options(new Bindings(TLS_9443, Heuristics.DEFAULTS), List.of()),
                    db);
            try (Statement s = db.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM mqtt_messages),"
                        + " string_agg(DISTINCT not_decrypted_reason, ','), count(*) FROM tls_connections");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.getString(2)).isEqualTo("no_keys");
                assertThat(rs.getLong(3)).isEqualTo(connections.size());
            }
        }
    }

    @Test
    void port_9443_needs_a_binding_and_the_upgrade_tells_only_with_the_heuristic() throws Exception {
        // no binding: 9443 is plain TCP, whose bytes are a ClientHello (no GET, no CONNECT)
        assertThat(decode(List.of(), Heuristics.DEFAULTS)).extracting(MqttOverWebSocketFixtureTest.Row::clientId)
                .containsOnly("wss-paho-8081", "wss-paho-443");
        // bound to TLS without the MQTT heuristic: the GET in the decrypted bytes is not looked at
        assertThat(decode(TLS_9443, Heuristics.NONE)).extracting(MqttOverWebSocketFixtureTest.Row::clientId)
                .containsOnly("wss-paho-8081", "wss-paho-443");
        // bound to mqtt-wss: the WebSocket layer reads it whatever the heuristics
        assertThat(decode(List.of(Binding.parse("tcp.port==9443:mqtt-wss")), Heuristics.NONE))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(decode(TLS_9443, Heuristics.DEFAULTS));
    }

    /** The analyses see the wss connections as the record says (with the key log and the 9443 binding). */
    @Test
    void analyses_count_the_wss_connections() {
        long wildcard = connections.stream().filter(c -> TestJson.array(c.get("sent")).stream()
                .map(TestJson::object).filter(p -> "SUBSCRIBE".equals(p.get("type")))
                .flatMap(p -> TestJson.array(p.get("topics")).stream())
                .anyMatch(t -> ((String) t).equals("#") || ((String) t).endsWith("/#"))).count();
        assertThat(wildcard).isEqualTo(connections.size());
        List<String> args = List.of("run", "mqtt-wildcard-subscribers", CAPTURE.toString(), "--keylog",
                KEYLOG.toString(), "--decode", "tcp.port==9443:tls", "--format", "json", "--set", "broker=local",
                "--set", "wildcard=#");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.iotpcap.cli.Main.execute(args.toArray(String[]::new), new java.io.PrintWriter(out),
                new java.io.PrintWriter(err));
        assertThat(code).as("%s\n%s", args, err).isZero();
        assertThat(TestJson.object(TestJson.parse(out.toString().strip())).get("answer")).isEqualTo(wildcard);
    }

    @Test
    void mqtt_wss_binding_and_default_ports() {
        assertThat(Binding.parse("tcp.port==9443,mqtt-wss")).isEqualTo(new Binding(Binding.Transport.TCP, 9443,
                Protocol.MQTT_WSS));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Binding.parse("udp.port==9443:mqtt-wss"))
                .hasMessageContaining("mqtt-wss does not run over udp");
        for (int port : new int[] {443, 8081, 8084, 8884}) {
            assertThat(Bindings.defaults().tcp(50000, port)).as("port %d", port).isEqualTo(Protocol.MQTT_WSS);
        }
    }

    static final TsharkQuery WEBSOCKET_DATA = TsharkQuery.of("websocket-data", "websocket && data.data",
            List.of("tcp.stream", "tcp.dstport", "data.data"));

    /**
     * The TLS and WebSocket layers against tshark 4.0 with the key log: for every connection and direction the
     * bytes our {@link TlsSession} decrypts and our {@link WsConnection} unwraps must equal tshark's
     * {@code data.data} of every WebSocket data frame, in frame order (live tshark, or its checked-in output).
     */
    @Test
    void unwrapped_bytes_equal_tshark_s_websocket_payloads_with_the_key_log() throws Exception {
        TlsSecrets secrets = new TlsSecrets();
        secrets.addKeyLog(Files.readString(KEYLOG));
        Map<String, ByteArrayOutputStream> ours = new TreeMap<>();
        try (CaptureReader reader = Captures.open(CAPTURE.toString())) {
            Engine.builder().onTcp(new TcpStreamListener() {
                @Override
                public void onOpen(TcpConnection c) {
                    WsConnection ws = WsPayloads.collecting(ours, c);
                    c.attachment = new TlsSession(secrets, new TlsSession.Listener() {
                        @Override
                        public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                            ws.feed(fromClient, b, off, len, frame, nanos);
                        }

                        @Override
                        public void problem(long frame, String reason, String detail) {}
                    });
                }

                @Override
                public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long frame,
                                   long nanos) {
                    ((TlsSession) c.attachment).feed(fromClient, data, offset, length, frame, nanos);
                }
            }).build().run(reader);
        }
        List<Map<String, String>> rows = TsharkRecords.rows(new TestCaptures.TestCapture(CAPTURE,
                List.of("tcp.port==8081,tls", "tcp.port==9443,tls"), List.of("tls.keylog_file:" + KEYLOG)),
                WEBSOCKET_DATA).rows();
        Map<String, ByteArrayOutputStream> theirs = WsPayloads.fromTshark(rows,
                dst -> dst == 8081 || dst == 443 || dst == 9443);
        assertThat(theirs).hasSize(2 * connections.size());
        WsPayloads.assertSame(ours, theirs);
    }
}
