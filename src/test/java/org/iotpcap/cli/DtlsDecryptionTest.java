package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.testing.TsharkRecords;
import org.junit.jupiter.api.Test;

/**
 * CoAP over DTLS 1.2 on the generator's coap-dtls capture (libcoap's gnutls coap-client and coap-server with a
 * pre-shared key; GnuTLS wrote the client's key log): five requests, each its own DTLS association,
 * ECDHE-PSK with ChaCha20-Poly1305. tshark 4.0 does not decrypt this suite, so the expected CoAP answers are the
 * client's own output from the ledger; the cipher suite of each ServerHello is tshark's.
 */
class DtlsDecryptionTest {
    static final Path CAPTURE = Path.of("fixtures", "captures", "coap-dtls.pcapng");
    static final Path KEYLOG = Path.of("fixtures", "captures", "coap-dtls.keylog");
    static final TsharkQuery SERVER_HELLO = TsharkQuery.of("dtls-server-hello", "dtls.handshake.type == 2",
            List.of("udp.stream", "dtls.handshake.ciphersuite"));

    private static List<String> lines(String sql, String... more) {
        List<String> args = new ArrayList<>(List.of("query", CAPTURE.toString(), sql, "--format", "csv"));
        args.addAll(List.of(more));
        CliErrorsTest.Run r = CliErrorsTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> l = new ArrayList<>(r.out().strip().lines().toList());
        l.remove(0);
        return l;
    }

    @Test
    void keyLog_decryptsEveryAssociation_andFeedsCoap() throws Exception {
        List<JsonNode> requests = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(Path.of("fixtures", "captures", "ledger.jsonl"))) {
            JsonNode r = json.readTree(line);
            if (r.path("capture").asText().equals("coap-dtls") && r.path("ev").asText().equals("coaps")) {
                requests.add(r);
            }
        }
        assertThat(requests).hasSize(5);
        assertThat(lines("SELECT transport, version, decrypted, inner_protocol, count(*) FROM tls_connections GROUP BY ALL",
                "--keylog", KEYLOG.toString())).containsExactly("udp,DTLS 1.2,true,coap,5");
        List<String> responses = lines("SELECT code, coalesce(payload_text, '') FROM coap_messages WHERE type = 'ACK' "
                + "ORDER BY frame", "--keylog", KEYLOG.toString());
        assertThat(responses).hasSize(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            // coap-client prints the payload of a success, "4.04 Not Found" for an error, nothing for an empty one
            String out = requests.get(i).path("client_output").asText().strip();
            String ours = responses.get(i);
            if (ours.startsWith("4.")) {
                assertThat(out).isEqualTo(ours.replace(",", " "));
            } else {
                assertThat(ours.substring(ours.indexOf(',') + 1).replace("\"\"", "\"").replaceAll("^\"|\"$", ""))
                        .as(requests.get(i).path("path").asText()).isEqualTo(out);
            }
        }
        List<String> methods = lines("SELECT code FROM coap_messages WHERE type = 'CON' ORDER BY frame",
                "--keylog", KEYLOG.toString());
        assertThat(methods).isEqualTo(requests.stream()
                .map(r -> r.path("method").asText().equals("PUT") ? "0.03" : "0.01").toList());
    }

    static final Path PSK_CAPTURE = Path.of("fixtures", "captures", "coap-dtls-psk.pcapng");
    /** The generator's test key for coap-dtls-psk (fixtures/generate, phase_dtls). */
    static final String PSK = "device-1:0102030405060708090a0b0c0d0e0f10";

    private static List<String> pskLines(String sql, String... more) {
        List<String> args = new ArrayList<>(List.of("query", PSK_CAPTURE.toString(), sql, "--format", "csv"));
        args.addAll(List.of(more));
        CliErrorsTest.Run r = CliErrorsTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> l = new ArrayList<>(r.out().strip().lines().toList());
        l.remove(0);
        return l;
    }

    @Test
    void psk_ccm8_withExtendedMasterSecret_decryptsWithoutKeyLog() throws Exception {
        JsonNode rec = null;
        for (String line : Files.readAllLines(Path.of("fixtures", "captures", "ledger.jsonl"))) {
            JsonNode r = new ObjectMapper().readTree(line);
            if (r.path("capture").asText().equals("coap-dtls-psk")) {
                rec = r;
            }
        }
        assertThat(rec).isNotNull();
        assertThat(pskLines("SELECT cipher_suite, decrypted, not_decrypted_reason, inner_protocol FROM tls_connections",
                "--psk", PSK)).containsExactly(rec.path("cipher").asText() + ",true,,coap");
        List<String> ours = pskLines("SELECT frame, type, code, mid FROM coap_messages ORDER BY frame", "--psk", PSK);
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0)).endsWith("," + rec.path("type").asText() + ",0.01," + rec.path("mid").asInt());
        if (org.iotpcap.testing.Tshark.available()) {
            // tshark 4.0 decrypts plain PSK suites from dtls.psk
            List<String> tshark = org.iotpcap.testing.Tshark.fields(PSK_CAPTURE, List.of("-o",
                    "dtls.psk:" + PSK.substring(PSK.indexOf(':') + 1), "-Y", "coap"), "frame.number", "coap.mid")
                    .stream().map(r -> r.get("frame.number") + "," + r.get("coap.mid")).toList();
            assertThat(pskLines("SELECT frame, mid FROM coap_messages ORDER BY frame", "--psk", PSK)).isEqualTo(tshark);
        }
        // a wrong key, a wrong identity: recorded with the reason, the run goes on
        assertThat(pskLines("SELECT not_decrypted_reason FROM tls_connections", "--psk",
                "device-1:0102030405060708090a0b0c0d0e0f11")).containsExactly("decryption_failed");
        assertThat(pskLines("SELECT not_decrypted_reason FROM tls_connections", "--psk",
                "device-2:0102030405060708090a0b0c0d0e0f10")).containsExactly("no_secret_for_session");
        CliErrorsTest.Run bad = CliErrorsTest.run("query", PSK_CAPTURE.toString(), "SELECT 1", "--psk", "device-1:zz")
                .oneErrorLine();
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void handshake_matchesTshark_andWithoutKeysNothingIsDecoded() {
        List<String> tshark = TsharkRecords.rows(new TestCapture(CAPTURE, List.of()), SERVER_HELLO).rows().stream()
                .map(r -> r.get("udp.stream") + "," + Integer.decode(r.get("dtls.handshake.ciphersuite"))).toList();
        assertThat(tshark).hasSize(5);
        assertThat(lines("SELECT stream, cipher_suite_id FROM tls_connections ORDER BY stream")).isEqualTo(tshark);
        assertThat(lines("SELECT DISTINCT not_decrypted_reason FROM tls_connections")).containsExactly("no_keys");
        assertThat(lines("SELECT count(*) FROM coap_messages")).containsExactly("0");
    }
}
