package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.testing.TsharkRecords;
import org.junit.jupiter.api.Test;

/**
 * {@code tls_connections} without keys against tshark 4.0's handshake fields on the generator's mqtt-tls capture
 * (live tshark, or its checked-in output): per TCP stream, the ClientHello's SNI and ALPN and the ServerHello's
 * cipher suite and version (supported_versions when present). tshark 4.0 has no JA4 field; JA4 is checked against
 * the specification's example in {@link Ja4Test}. The certificate's names are the ones fixtures/generate gives
 * openssl.
 */
class TlsConnectionsTsharkTest {
    static final TestCapture CAPTURE = new TestCapture(Path.of("fixtures", "captures", "mqtt-tls.pcapng"), List.of());
    static final TsharkQuery CLIENT_HELLO = TsharkQuery.of("tls-client-hello", "tls.handshake.type == 1",
            List.of("tcp.stream", "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str"));
    static final TsharkQuery SERVER_HELLO = TsharkQuery.of("tls-server-hello", "tls.handshake.type == 2",
            List.of("tcp.stream", "tls.handshake.ciphersuite", "tls.handshake.version",
                    "tls.handshake.extensions.supported_version"));

    @Test
    void handshakeFieldsMatchTshark() throws Exception {
        Map<String, Map<String, String>> ours = new HashMap<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.path().toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT stream, sni, alpn, cipher_suite_id, version, cert_subject, "
                         + "cert_issuer, decrypted, not_decrypted_reason FROM tls_connections")) {
                while (rs.next()) {
                    Map<String, String> row = new HashMap<>();
                    for (String c : List.of("sni", "alpn", "cipher_suite_id", "version", "cert_subject", "cert_issuer",
                            "not_decrypted_reason")) {
                        row.put(c, rs.getString(c));
                    }
                    ours.put(rs.getString("stream"), row);
                }
            }
        }
        List<Map<String, String>> ch = TsharkRecords.rows(CAPTURE, CLIENT_HELLO).rows();
        List<Map<String, String>> sh = TsharkRecords.rows(CAPTURE, SERVER_HELLO).rows();
        assertThat(ch).hasSize(9);
        assertThat(sh).hasSize(9);
        assertThat(ours).hasSize(9);
        int compared = 0;
        for (Map<String, String> t : ch) {
            Map<String, String> o = ours.get(t.get("tcp.stream"));
            assertThat(o).as("stream " + t.get("tcp.stream")).isNotNull();
            assertThat(o.get("sni")).isEqualTo(emptyToNull(t.get("tls.handshake.extensions_server_name")));
            assertThat(o.get("alpn")).isEqualTo(emptyToNull(t.get("tls.handshake.extensions_alpn_str")));
            compared += 2;
        }
        for (Map<String, String> t : sh) {
            Map<String, String> o = ours.get(t.get("tcp.stream"));
            assertThat(Integer.parseInt(o.get("cipher_suite_id")))
                    .isEqualTo(Integer.decode(t.get("tls.handshake.ciphersuite")));
            String sv = t.get("tls.handshake.extensions.supported_version");
            int version = Integer.decode(sv.isEmpty() ? t.get("tls.handshake.version") : sv);
            assertThat(o.get("version")).isEqualTo(version == 0x0304 ? "TLS 1.3" : version == 0x0303 ? "TLS 1.2" : "?");
            assertThat(o.get("not_decrypted_reason")).isEqualTo("no_keys");
            if (version == 0x0303) {
                // fixtures/generate: openssl req -subj "/O=iotpcap/CN=broker.iot.test", CA "/CN=iotpcap test CA"
                assertThat(o.get("cert_subject")).isEqualTo("CN=broker.iot.test,O=iotpcap");
                assertThat(o.get("cert_issuer")).isEqualTo("CN=iotpcap test CA");
            } else {
                assertThat(o.get("cert_subject")).as("TLS 1.3 sends the certificate encrypted").isNull();
            }
            compared += 2;
        }
        System.out.println("[tls-conformance] mqtt-tls.pcapng: " + compared + " handshake values equal to tshark's");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
