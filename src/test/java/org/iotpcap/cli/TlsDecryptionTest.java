package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS decryption end to end on the generator's mqtt-tls capture (mosquitto TLS listeners, paho-mqtt clients over
 * TLS 1.2 and 1.3, nine cipher suites): its key log given with {@code --keylog}, the same secrets injected into
 * a pcapng by {@code editcap --inject-secrets}, no keys, wrong keys, a key log of other sessions. Expected values
 * come from the generator's ledger ({@code fixtures/captures/ledger.jsonl}: what each client published and the
 * version and suite its own SSLSocket reported), never from our output.
 */
class TlsDecryptionTest {
    static final Path CAPTURE = Path.of("fixtures", "captures", "mqtt-tls.pcapng");
    static final Path INJECTED = Path.of("fixtures", "captures", "mqtt-tls-dsb.pcapng");
    static final Path KEYLOG = Path.of("fixtures", "captures", "mqtt-tls.keylog");

    /** The generator's records of the TLS clients, in the order they ran (= TCP stream order). */
    static final List<JsonNode> CLIENTS = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeAll
    static void ledger() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(Path.of("fixtures", "captures", "ledger.jsonl"))) {
            JsonNode r = json.readTree(line);
            if (r.path("capture").asText().equals("mqtt-tls") && r.path("ev").asText().equals("mqtt_tls_conn")) {
                CLIENTS.add(r);
            }
        }
        assertThat(CLIENTS).hasSize(9);
    }

    private static CliErrorsTest.Run query(Path capture, String sql, String... more) {
        List<String> args = new ArrayList<>(List.of("query", capture.toString(), sql, "--format", "csv"));
        args.addAll(List.of(more));
        return CliErrorsTest.run(args.toArray(String[]::new));
    }

    private static List<String> lines(CliErrorsTest.Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        List<String> l = new ArrayList<>(r.out().strip().lines().toList());
        l.remove(0);
        return l;
    }

    /** What the ledger says each connection carried: version, and each PUBLISH topic twice (out and back). */
    private static List<String> expectedPublishes() {
        List<String> out = new ArrayList<>();
        for (JsonNode c : CLIENTS) {
            String topic = c.path("publishes").get(0).path("topic").asText();
            String payload = c.path("publishes").get(0).path("payload").asText();
            out.add(topic + "," + payload);
            if (c.path("received").asBoolean()) {
                out.add(topic + "," + payload);
            }
        }
        return out;
    }

    static final String PUBLISHES = "SELECT topic, payload_text FROM mqtt_messages WHERE type = 'PUBLISH' "
            + "ORDER BY stream, frame";
    static final String CONNECTIONS = "SELECT stream, version, decrypted, not_decrypted_reason, inner_protocol "
            + "FROM tls_connections ORDER BY stream";

    @Test
    void keyLog_decryptsEveryConnection_andFeedsMqtt() {
        List<String> tls = lines(query(CAPTURE, CONNECTIONS, "--keylog", KEYLOG.toString()));
        assertThat(tls).hasSize(CLIENTS.size());
        for (int i = 0; i < tls.size(); i++) {
            String version = CLIENTS.get(i).path("tls_version").asText().replace("TLSv", "TLS ");
            assertThat(tls.get(i)).as(CLIENTS.get(i).path("label").asText()).endsWith("," + version + ",true,,mqtt");
        }
        assertThat(lines(query(CAPTURE, PUBLISHES, "--keylog", KEYLOG.toString()))).isEqualTo(expectedPublishes());
        List<String> ids = lines(query(CAPTURE, "SELECT client_id FROM mqtt_messages WHERE type = 'CONNECT' "
                + "ORDER BY stream", "--keylog", KEYLOG.toString()));
        assertThat(ids).isEqualTo(CLIENTS.stream().map(c -> c.path("client_id").asText()).toList());
    }

    @Test
    void injectedSecrets_needNoOption_andGiveTheSameRows() {
        assertThat(lines(query(INJECTED, PUBLISHES))).isEqualTo(expectedPublishes());
        // the injected copy has one more block (the secrets) and so the same frames: every row is the same but
        // for the capture column, which names the file
        assertThat(lines(query(INJECTED, "SELECT * EXCLUDE (capture) FROM mqtt_messages ORDER BY stream, frame")))
                .isEqualTo(lines(query(CAPTURE, "SELECT * EXCLUDE (capture) FROM mqtt_messages ORDER BY stream, frame",
                        "--keylog", KEYLOG.toString())));
    }

    @Test
    void withoutKeys_describedNotDecrypted() {
        List<String> tls = lines(query(CAPTURE, "SELECT DISTINCT decrypted, not_decrypted_reason, sni, "
                + "count(*) OVER () FROM tls_connections"));
        assertThat(tls).containsExactly("false,no_keys,broker.iot.test,9");
        assertThat(lines(query(CAPTURE, "SELECT count(*) FROM mqtt_messages"))).containsExactly("0");
    }

    @Test
    void wrongKeys_recordedWithReason_runGoesOn() throws Exception {
        Path wrong = tmp.resolve("wrong.keylog");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(KEYLOG)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                // the same sessions, every secret with its first byte changed
                char c = f[2].charAt(0);
                line = f[0] + " " + f[1] + " " + (c == '0' ? '1' : '0') + f[2].substring(1);
            }
            out.add(line);
        }
        Files.write(wrong, out);
        List<String> tls = lines(query(CAPTURE, "SELECT DISTINCT decrypted, not_decrypted_reason FROM tls_connections",
                "--keylog", wrong.toString()));
        assertThat(tls).containsExactly("false,decryption_failed");
        assertThat(lines(query(CAPTURE, "SELECT count(*) FROM mqtt_messages", "--keylog", wrong.toString())))
                .containsExactly("0");
        assertThat(lines(query(CAPTURE, "SELECT DISTINCT layer, reason FROM malformed", "--keylog", wrong.toString())))
                .containsExactly("tls,decryption_failed");
    }

    @Test
    void damagedRecord_thatConnectionFails_theOthersDecrypt() throws Exception {
        byte[] b = Files.readAllBytes(CAPTURE);
        // the capture's last TLS 1.2 application_data record header (23, 3, 3: the CCM-8 connection's last
        // record); its first ciphertext byte after the 8-byte explicit nonce is flipped
        int at = -1;
        for (int i = b.length - 5; i >= 0 && at < 0; i--) {
            if (b[i] == 23 && b[i + 1] == 3 && b[i + 2] == 3) {
                at = i;
            }
        }
        assertThat(at).isPositive();
        b[at + 5 + 8] ^= 0x01;
        Path damaged = tmp.resolve("damaged.pcapng");
        Files.write(damaged, b);
        List<String> tls = lines(query(damaged, "SELECT decrypted, not_decrypted_reason, count(*) FROM tls_connections "
                + "GROUP BY ALL ORDER BY ALL", "--keylog", KEYLOG.toString()));
        assertThat(tls).containsExactlyInAnyOrder("true,,8", "true,decryption_failed,1");
        assertThat(lines(query(damaged, "SELECT layer, reason FROM malformed", "--keylog", KEYLOG.toString())))
                .containsExactly("tls,decryption_failed");
    }

    @Test
    void keyLogOfOtherSessions_noSecretForSession() throws Exception {
        Path other = tmp.resolve("other.keylog");
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(KEYLOG)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                line = f[0] + " " + new StringBuilder(f[1]).reverse() + " " + f[2];
            }
            out.add(line);
        }
        Files.write(other, out);
        assertThat(lines(query(CAPTURE, "SELECT DISTINCT decrypted, not_decrypted_reason FROM tls_connections",
                "--keylog", other.toString()))).containsExactly("false,no_secret_for_session");
    }

    @Test
    void unreadableKeyLog_isAUsageError() {
        CliErrorsTest.Run r = query(CAPTURE, "SELECT 1", "--keylog", tmp.resolve("absent.keylog").toString())
                .oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void noKeyMaterial_inAnyExportedTable() throws Exception {
        Path dir = tmp.resolve("export");
        CliErrorsTest.Run r = CliErrorsTest.run("export", INJECTED.toString(), "--to", dir.toString(), "--format",
                "csv", "--keylog", KEYLOG.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> secrets = new ArrayList<>();
        for (String line : Files.readAllLines(KEYLOG)) {
            String[] f = line.split(" ");
            if (f.length == 3) {
                secrets.add(f[2].toLowerCase());
            }
        }
        assertThat(secrets).isNotEmpty();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.getFileName().toString().startsWith("tls_connections"));
        for (Path p : files) {
            String text = Files.readString(p).toLowerCase();
            for (String secret : secrets) {
                assertThat(text).as(p.getFileName() + " holds a secret").doesNotContain(secret)
                        .doesNotContain(secret.substring(0, 16));
            }
        }
        assertThat(r.out() + r.err()).doesNotContain(secrets.get(0).substring(0, 16));
    }
}
