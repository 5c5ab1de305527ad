package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
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
 * TLS 1.3 KeyUpdate (RFC 8446 sections 4.6.3 and 7.2) on real peers: {@code fixtures/tls/tls13-keyupdate.pcapng},
 * made by {@code fixtures/generate tls-keyupdate} (openssl s_server and s_client driven by
 * {@code fixtures/tools/tls_keyupdate.py}: two connections, TLS_AES_256_GCM_SHA384 and TLS_AES_128_GCM_SHA256,
 * three KeyUpdates from each side, one with update_requested). The peers' record says what each side sent; tshark
 * 4.0 with the key log decrypts every record; OpenSSL's key log also holds each updated secret
 * ({@code CLIENT_TRAFFIC_SECRET_N}, {@code SERVER_TRAFFIC_SECRET_N}, lines iotpcap does not read).
 */
class TlsKeyUpdateTest {
    static final Path CAPTURE = Path.of("fixtures", "tls", "tls13-keyupdate.pcapng");
    static final Path KEYLOG = Path.of("fixtures", "tls", "tls13-keyupdate.keylog");
    static final Path RECORD = Path.of("fixtures", "tls", "tls13-keyupdate.pcapng.record.json");
    static List<Map<String, Object>> connections;

    @BeforeAll
    static void readRecord() throws Exception {
        assertThat(CAPTURE).as("run fixtures/generate tls-keyupdate").isRegularFile();
        connections = TestJson.objects(RECORD, "connections");
        assertThat(connections).hasSize(2);
    }

    /** What one side sent as data, joined, from the record (its KeyUpdate steps left out). */
    private static String data(Map<String, Object> c, String side) {
        StringBuilder b = new StringBuilder();
        for (Object step : TestJson.array(c.get(side + "_sent"))) {
            String s = (String) step;
            if (!s.startsWith("key_update")) {
                b.append(s);
            }
        }
        return b.toString();
    }

    private static long steps(Map<String, Object> c, String side, String step) {
        return TestJson.array(c.get(side + "_sent")).stream().filter(step::equals).count();
    }

    private record Decrypted(Map<String, ByteArrayOutputStream> bytes, List<String> problems, List<TlsSession> sessions) {}

    private static Decrypted decrypt() throws Exception {
        TlsSecrets secrets = new TlsSecrets();
        secrets.addKeyLog(Files.readString(KEYLOG));
        Map<String, ByteArrayOutputStream> bytes = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        List<TlsSession> sessions = new ArrayList<>();
        try (CaptureReader reader = Captures.open(CAPTURE.toString())) {
            Engine.builder().onTcp(new TcpStreamListener() {
                @Override
                public void onOpen(TcpConnection c) {
                    TlsSession t = new TlsSession(secrets, new TlsSession.Listener() {
                        @Override
                        public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                            bytes.computeIfAbsent(c.index() + (fromClient ? " c2s" : " s2c"),
                                    k -> new ByteArrayOutputStream()).write(b, off, len);
                        }

                        @Override
                        public void problem(long frame, String reason, String detail) {
                            problems.add(frame + " " + reason + " " + detail);
                        }
                    });
                    sessions.add(t);
                    c.attachment = t;
                }

                @Override
                public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long frame,
                                   long nanos) {
                    ((TlsSession) c.attachment).feed(fromClient, data, offset, length, frame, nanos);
                }
            }).build().run(reader);
        }
        return new Decrypted(bytes, problems, sessions);
    }

    @Test
    void every_record_after_each_key_update_decrypts_to_what_the_peers_sent() throws Exception {
        Decrypted d = decrypt();
        assertThat(d.problems()).isEmpty();
        assertThat(d.sessions()).hasSize(connections.size());
        for (int i = 0; i < connections.size(); i++) {
            Map<String, Object> c = connections.get(i);
            TlsSession t = d.sessions().get(i);
            assertThat(TlsCipherSuite.name(t.serverHello().cipherSuite())).isEqualTo(c.get("ciphersuite"));
            assertThat(t.notDecryptedReason()).isNull();
            assertThat(new String(d.bytes().get(i + " c2s").toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo(data(c, "client"));
            assertThat(new String(d.bytes().get(i + " s2c").toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo(data(c, "server"));
            long requested = steps(c, "client", "key_update_requested");
            assertThat(requested).isPositive();
            assertThat(t.keyUpdates(true)).isEqualTo(steps(c, "client", "key_update") + requested)
                    .isEqualTo((Long) c.get("client_printed_keyupdate"));
            // update_requested: the server answers with a KeyUpdate of its own
            assertThat(t.keyUpdates(false)).isEqualTo(steps(c, "server", "key_update") + requested);
            // and the peers printed exactly those lines as received
            assertThat(String.join("\n", TestJson.array(c.get("server_received")).stream().map(String.class::cast)
                    .toList()) + "\n").isEqualTo(data(c, "client"));
        }
    }

    @Test
    void tls_connections_say_decrypted_with_the_key_updates() throws Exception {
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(
                    new Bindings(List.of(Binding.parse("tcp.port==4433:tls")), Heuristics.DEFAULTS), false,
                    Limits.DEFAULTS, false, null, Pipeline.ProgressListener.NONE, List.of(KEYLOG)), db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT cipher_suite, decrypted, not_decrypted_reason,"
                         + " plaintext_from_client, plaintext_from_server, key_updates_from_client,"
                         + " key_updates_from_server, (SELECT count(*) FROM malformed) FROM tls_connections ORDER BY stream")) {
                for (Map<String, Object> c : connections) {
                    assertThat(rs.next()).isTrue();
                    long requested = steps(c, "client", "key_update_requested");
                    assertThat(rs.getString(1)).isEqualTo(c.get("ciphersuite"));
                    assertThat(rs.getBoolean(2)).isTrue();
                    assertThat(rs.getString(3)).isNull();
                    assertThat(rs.getLong(4)).isEqualTo(data(c, "client").length());
                    assertThat(rs.getLong(5)).isEqualTo(data(c, "server").length());
                    assertThat(rs.getLong(6)).isEqualTo(steps(c, "client", "key_update") + requested);
                    assertThat(rs.getLong(7)).isEqualTo(steps(c, "server", "key_update") + requested);
                    assertThat(rs.getLong(8)).isZero();
                }
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /**
     * application_traffic_secret_N+1 = HKDF-Expand-Label(_N, "traffic upd", "", Hash.length) against OpenSSL's own
     * updated secrets: its key log has, per connection and side, traffic secret 0 then one {@code _N} line per
     * key change, in order; each must be the next of the one before (SHA-384 and SHA-256 suites).
     */
    @Test
    void next_traffic_secret_equals_openssl_s() throws Exception {
        Map<String, List<String>> chains = new TreeMap<>();
        for (String line : Files.readAllLines(KEYLOG)) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[0].matches("(CLIENT|SERVER)_TRAFFIC_SECRET_(0|N)")) {
                chains.computeIfAbsent(f[1] + " " + f[0].substring(0, 6), k -> new ArrayList<>()).add(f[2]);
            }
        }
        assertThat(chains).hasSize(2 * connections.size());
        int checked = 0;
        for (List<String> chain : chains.values()) {
            assertThat(chain).hasSize(4);   // secret 0 and three updates
            String hash = chain.get(0).length() == 96 ? "SHA-384" : "SHA-256";
            for (int i = 1; i < chain.size(); i++) {
                byte[] next = TlsRecordCipher.nextTrafficSecret(hash, HexFormat.of().parseHex(chain.get(i - 1)));
                assertThat(HexFormat.of().formatHex(next)).isEqualTo(chain.get(i));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(12);
    }

    static final TsharkQuery APP_DATA = TsharkQuery.of("tls-app-data", "tls.app_data && data.data",
            List.of("tcp.stream", "tcp.dstport", "data.data"));

    /**
     * The decrypted bytes against tshark 4.0's, which follows KeyUpdates too: per connection and direction (live
     * tshark, or its checked-in output).
     */
    @Test
    void decrypted_bytes_equal_tshark_s() throws Exception {
        Decrypted d = decrypt();
        Map<String, ByteArrayOutputStream> theirs = new TreeMap<>();
        TestCaptures.TestCapture tc = new TestCaptures.TestCapture(CAPTURE, List.of("tcp.port==4433,tls"),
                List.of("tls.keylog_file:" + KEYLOG));
        for (Map<String, String> r : TsharkRecords.rows(tc, APP_DATA).rows()) {
            String key = r.get("tcp.stream") + (r.get("tcp.dstport").equals("4433") ? " c2s" : " s2c");
            for (String hex : r.get("data.data").split(",")) {
                theirs.computeIfAbsent(key, k -> new ByteArrayOutputStream()).writeBytes(HexFormat.of().parseHex(hex));
            }
        }
        assertThat(theirs).hasSize(4);
        assertThat(d.bytes().keySet()).isEqualTo(theirs.keySet());
        for (String k : theirs.keySet()) {
            assertThat(HexFormat.of().formatHex(d.bytes().get(k).toByteArray())).as(k)
                    .isEqualTo(HexFormat.of().formatHex(theirs.get(k).toByteArray()));
        }
    }
}
