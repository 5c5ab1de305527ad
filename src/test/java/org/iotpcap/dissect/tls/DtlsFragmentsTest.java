package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.engine.Engine;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestJson;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.testing.TsharkRecords;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DTLS 1.2 handshake messages split into fragments (RFC 6347 section 4.2.3).
 *
 * <p>Real peers: {@code fixtures/tls/dtls-fragments.pcapng}, made by {@code fixtures/generate dtls-fragments}
 * (openssl s_server and s_client with -mtu 256): a plain PSK association with extended master secret whose
 * ServerKeyExchange and ClientKeyExchange come in two fragments each (the key is derived from the hash of the
 * reassembled messages: one wrong byte and nothing decrypts), and an ECDHE-RSA association whose Certificate comes in
 * five. The peers' record says the CoAP bytes each side sent; tshark decrypts both too.
 *
 * <p>Re-fragmented: the handshake of the real coap-dtls-psk fixture (unfragmented, extended master secret), each
 * message cut byte-exact into small fragments sent in reverse order, overlapping and repeated, must decrypt as
 * the original does.
 */
class DtlsFragmentsTest {
    static final Path CAPTURE = Path.of("fixtures", "tls", "dtls-fragments.pcapng");
    static final Path KEYLOG = Path.of("fixtures", "tls", "dtls-fragments.keylog");
    static final Path RECORD = Path.of("fixtures", "tls", "dtls-fragments.pcapng.record.json");
    static List<Map<String, Object>> associations;

    @BeforeAll
    static void readRecord() throws Exception {
        assertThat(CAPTURE).as("run fixtures/generate dtls-fragments").isRegularFile();
        associations = TestJson.objects(RECORD, "associations");
        assertThat(associations).extracting(a -> a.get("label")).containsExactly("psk", "cert");
    }

    /** One UDP datagram of a capture, copied. */
    record Datagram(long flow, boolean fromClient, byte[] bytes, long frame) {}

    static List<Datagram> datagrams(Path capture) throws Exception {
        List<Datagram> out = new ArrayList<>();
        Map<Long, String> clients = new LinkedHashMap<>();
        try (CaptureReader reader = Captures.open(capture.toString())) {
            Engine.builder().onUdp(d -> {
                String client = clients.computeIfAbsent(d.flowIndex, f -> d.source().toString());
                out.add(new Datagram(d.flowIndex, client.equals(d.source().toString()),
                        java.util.Arrays.copyOfRange(d.payload, d.payloadOffset, d.payloadOffset + d.payloadLength),
                        d.frame));
            }).build().run(reader);
        }
        return out;
    }

    /** Each association's session, fed its datagrams; the plaintext of each direction and the problems. */
    record Result(List<DtlsSession> sessions, Map<String, List<String>> plaintext, List<String> problems) {}

    static Result run(List<Datagram> datagrams, TlsSecrets secrets) {
        Map<Long, DtlsSession> sessions = new LinkedHashMap<>();
        Map<String, List<String>> plaintext = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Datagram d : datagrams) {
            DtlsSession s = sessions.computeIfAbsent(d.flow(), f -> new DtlsSession(secrets, new TlsSession.Listener() {
                @Override
                public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                    plaintext.computeIfAbsent(f + (fromClient ? " client" : " server"), k -> new ArrayList<>())
                            .add(HexFormat.of().formatHex(b, off, off + len));
                }

                @Override
                public void problem(long frame, String reason, String detail) {
                    problems.add(frame + " " + reason + " " + detail);
                }
            }));
            s.datagram(d.fromClient(), ByteView.of(d.bytes()), d.frame(), 0);
        }
        return new Result(List.copyOf(sessions.values()), plaintext, problems);
    }

    private static TlsSecrets secrets() throws Exception {
        TlsSecrets secrets = new TlsSecrets();
        secrets.addKeyLog(Files.readString(KEYLOG));
        Map<String, Object> psk = associations.get(0);
        secrets.addPsk((String) psk.get("identity"), HexFormat.of().parseHex((String) psk.get("psk")));
        return secrets;
    }

    @Test
    void the_fragmented_handshakes_are_reassembled_and_every_record_decrypts_to_what_the_peers_sent()
            throws Exception {
        List<Datagram> datagrams = datagrams(CAPTURE);
        // the capture does hold fragments: a handshake header with fragment_length < length
        assertThat(datagrams.stream().filter(d -> fragmented(d.bytes())).count()).isGreaterThanOrEqualTo(6);
        Result r = run(datagrams, secrets());
        assertThat(r.problems()).isEmpty();
        assertThat(r.sessions()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            Map<String, Object> a = associations.get(i);
            assertThat((Boolean) a.get("server_printed_request")).isTrue();
            assertThat((Boolean) a.get("client_printed_response")).isTrue();
            DtlsSession s = r.sessions().get(i);
            assertThat(s.notDecryptedReason()).as("%s", a.get("label")).isNull();
            long flow = datagrams.stream().map(Datagram::flow).distinct().toList().get(i);
            assertThat(r.plaintext().get(flow + " client")).isEqualTo(TestJson.array(a.get("client_sent")));
            assertThat(r.plaintext().get(flow + " server")).isEqualTo(TestJson.array(a.get("server_sent")));
        }
        // fixtures/generate: openssl req -subj "/O=iotpcap/CN=broker.iot.test", CA "/CN=iotpcap test CA"
        assertThat(r.sessions().get(1).certificate().subject()).isEqualTo("CN=broker.iot.test,O=iotpcap");
        assertThat(r.sessions().get(1).certificate().issuer()).isEqualTo("CN=iotpcap test CA");
        assertThat(r.sessions().get(0).certificate()).isNull();
    }

    /** True when a datagram holds a DTLS handshake fragment that is not its whole message. */
    private static boolean fragmented(byte[] d) {
        for (int at = 0; at + 13 <= d.length; ) {
            int len = ((d[at + 11] & 0xff) << 8) | (d[at + 12] & 0xff);
            int epoch = ((d[at + 3] & 0xff) << 8) | (d[at + 4] & 0xff);
            for (int h = at + 13; d[at] == 22 && epoch == 0 && h + 12 <= at + 13 + len; ) {
                int length = u24(d, h + 1);
                int fragLen = u24(d, h + 9);
                if (fragLen < length) {
                    return true;
                }
                h += 12 + fragLen;
            }
            at += 13 + len;
        }
        return false;
    }

    private static int u24(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }

    @Test
    void tls_connections_and_coap_messages_with_the_psk_and_the_key_log() throws Exception {
        Map<String, Object> psk = associations.get(0);
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(Bindings.defaults(), false,
                    Limits.DEFAULTS, false, null, Pipeline.ProgressListener.NONE, List.of(KEYLOG),
                    Map.of((String) psk.get("identity"), HexFormat.of().parseHex((String) psk.get("psk")))), db);
            try (Statement s = db.connection().createStatement()) {
                ResultSet rs = s.executeQuery("SELECT string_agg(decrypted::VARCHAR || ' ' || coalesce(cert_subject, '-'),"
                        + " ', ' ORDER BY stream), (SELECT count(*) FROM coap_messages),"
                        + " (SELECT count(*) FROM malformed) FROM tls_connections");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("true -, true CN=broker.iot.test,O=iotpcap");
                assertThat(rs.getLong(2)).isEqualTo(4);
                assertThat(rs.getLong(3)).isZero();
            }
        }
    }

    static final TsharkQuery COAP = TsharkQuery.of("coap-decrypted", "coap", List.of("coap.mid", "coap.code"));

    /**
     * tshark 4.0 decrypts both associations (the PSK and the key log): the same CoAP messages in the same frames
     * (live tshark, or its checked-in output).
     */
    @Test
    void the_decrypted_coap_messages_are_tshark_s() throws Exception {
        Map<String, Object> psk = associations.get(0);
        TestCaptures.TestCapture tc = new TestCaptures.TestCapture(CAPTURE, List.of(),
                List.of("dtls.psk:" + psk.get("psk"), "tls.keylog_file:" + KEYLOG));
        List<String> theirs = TsharkRecords.rows(tc, COAP).rows().stream()
                .map(m -> m.get("frame.number") + " " + m.get("coap.mid") + " " + m.get("coap.code")).toList();
        List<String> ours = new ArrayList<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(CAPTURE.toString(), new CaptureLoader.Options(Bindings.defaults(), false,
                    Limits.DEFAULTS, false, null, Pipeline.ProgressListener.NONE, List.of(KEYLOG),
                    Map.of((String) psk.get("identity"), HexFormat.of().parseHex((String) psk.get("psk")))), db);
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT frame, mid, code_class * 32 + code_detail FROM coap_messages"
                         + " ORDER BY frame")) {
                while (rs.next()) {
                    ours.add(rs.getLong(1) + " " + rs.getInt(2) + " " + rs.getInt(3));
                }
            }
        }
        assertThat(theirs).hasSize(4);
        assertThat(ours).isEqualTo(theirs);
    }

    /**
     * The coap-dtls-psk fixture's handshake (plain PSK, extended master secret, every message in one fragment)
     * re-fragmented: each epoch-0 handshake message becomes fragments of {@code size} bytes, each its own record
     * and datagram, the datagram's fragments sent last first (so the ServerHelloDone is whole before the
     * ServerHello that shares its datagram), with every other fragment sent twice and each fragment overlapping the
     * one before by a byte. The key comes from the hash of the reassembled messages in handshake order, so the
     * application data decrypts to the same bytes only if every message was rebuilt exactly and hashed in its
     * place.
     */
    @Test
    void a_real_handshake_refragmented_in_any_order_with_overlaps_and_repeats_decrypts_the_same() throws Exception {
        Path capture = Path.of("fixtures", "captures", "coap-dtls-psk.pcapng");
        TlsSecrets secrets = new TlsSecrets();
        // fixtures/generate phase_dtls: -psk_identity device-1 -psk 0102030405060708090a0b0c0d0e0f10
        secrets.addPsk("device-1", HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
        List<Datagram> original = datagrams(capture);
        Result want = run(original, secrets);
        assertThat(want.sessions().get(0).notDecryptedReason()).isNull();
        assertThat(want.plaintext()).isNotEmpty();
        for (int size : new int[] {1, 7, 64}) {
            List<Datagram> cut = new ArrayList<>();
            for (Datagram d : original) {
                cut.addAll(refragment(d, size));
            }
            assertThat(cut.size()).as("fragments of %d", size).isGreaterThan(original.size());
            Result got = run(cut, secrets);
            assertThat(got.problems()).as("fragments of %d", size).isEmpty();
            assertThat(got.sessions().get(0).notDecryptedReason()).as("fragments of %d", size).isNull();
            assertThat(got.plaintext()).as("fragments of %d", size).isEqualTo(want.plaintext());
        }
        // one fragment of the ClientKeyExchange left out: the message is never whole, so no key and nothing decrypts
        List<Datagram> incomplete = new ArrayList<>();
        for (Datagram d : original) {
            incomplete.addAll(refragment(d, 7, 16));
        }
        Result r = run(incomplete, secrets);
        assertThat(r.sessions().get(0).decrypted()).isFalse();
        assertThat(r.plaintext()).isEmpty();
    }

    /** One DTLS record (epoch 0, handshake) holding one fragment: type 1, the given length, offset and bytes. */
    private static byte[] fragmentRecord(int length, int seq, int off, byte[] body) {
        byte[] r = new byte[13 + 12 + body.length];
        r[0] = 22;                                   // handshake
        r[1] = (byte) 0xfe;                          // DTLS 1.2
        r[2] = (byte) 0xfd;
        r[11] = (byte) ((12 + body.length) >> 8);    // record length
        r[12] = (byte) (12 + body.length);
        r[13] = 1;                                   // msg_type ClientHello
        r[14] = (byte) (length >> 16);               // length
        r[15] = (byte) (length >> 8);
        r[16] = (byte) length;
        r[17] = (byte) (seq >> 8);                   // message_seq
        r[18] = (byte) seq;
        r[19] = (byte) (off >> 16);                  // fragment_offset
        r[20] = (byte) (off >> 8);
        r[21] = (byte) off;
        r[24] = (byte) body.length;                  // fragment_length (< 256 here)
        System.arraycopy(body, 0, r, 25, body.length);
        return r;
    }

    @Test
    void fragments_that_disagree_or_exceed_the_limit_are_reported_and_dropped() {
        List<Datagram> bad = List.of(
                // a message of 70,000 bytes: over the 64 KiB held for reassembly
                new Datagram(0, true, fragmentRecord(70_000, 0, 0, new byte[4]), 1),
                // message_seq 1 begins as 100 bytes, then a fragment says 200
                new Datagram(0, true, fragmentRecord(100, 1, 0, new byte[10]), 2),
                new Datagram(0, true, fragmentRecord(200, 1, 10, new byte[10]), 3),
                // a fragment past its message's end
                new Datagram(0, true, fragmentRecord(100, 2, 95, new byte[10]), 4));
        Result r = run(bad, new TlsSecrets());
        assertThat(r.problems()).extracting(p -> p.substring(0, p.indexOf(' ', 2)))
                .containsExactly("1 handshake_too_long", "3 bad_fragment", "4 bad_fragment");
        assertThat(r.sessions().get(0).clientHello()).isNull();
    }

    private static List<Datagram> refragment(Datagram d, int size) {
        return refragment(d, size, -1);
    }

    /**
     * The datagram's epoch-0 handshake messages cut into fragments as the test above says, the second fragment of a
     * message of type {@code dropType} left out; other records kept.
     */
    private static List<Datagram> refragment(Datagram d, int size, int dropType) {
        List<Datagram> out = new ArrayList<>();
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        byte[] b = d.bytes();
        for (int at = 0; at + 13 <= b.length; ) {
            int len = ((b[at + 11] & 0xff) << 8) | (b[at + 12] & 0xff);
            int epoch = ((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff);
            if (b[at] != 22 || epoch != 0) {
                rest.write(b, at, 13 + len);
            } else {
                for (int h = at + 13; h + 12 <= at + 13 + len; ) {
                    int length = u24(b, h + 1);
                    List<byte[]> fragments = new ArrayList<>();
                    for (int off = 0, n = 0; off < length || (length == 0 && n == 0); off += size, n++) {
                        int from = Math.max(0, off - 1);   // overlaps the fragment before by one byte
                        int fragLen = Math.min(length, off + size) - from;
                        byte[] rec = new byte[13 + 12 + fragLen];
                        System.arraycopy(b, at, rec, 0, 11);                 // type, version, epoch, sequence
                        rec[11] = (byte) ((12 + fragLen) >> 8);
                        rec[12] = (byte) (12 + fragLen);
                        System.arraycopy(b, h, rec, 13, 6);                  // msg_type, length, message_seq
                        rec[13 + 6] = (byte) (from >> 16);
                        rec[13 + 7] = (byte) (from >> 8);
                        rec[13 + 8] = (byte) from;
                        rec[13 + 9] = (byte) (fragLen >> 16);
                        rec[13 + 10] = (byte) (fragLen >> 8);
                        rec[13 + 11] = (byte) fragLen;
                        System.arraycopy(b, h + 12 + from, rec, 25, fragLen);
                        if (b[h] == dropType && n == 1) {
                            continue;
                        }
                        fragments.add(rec);
                        if (n % 2 == 1) {
                            fragments.add(rec.clone());                      // sent twice
                        }
                    }
                    for (byte[] fragment : fragments) {
                        out.add(new Datagram(d.flow(), d.fromClient(), fragment, d.frame()));
                    }
                    h += 12 + u24(b, h + 9);
                }
            }
            at += 13 + len;
        }
        java.util.Collections.reverse(out);   // last first: a later message of the datagram completes first
        if (rest.size() > 0) {
            out.add(new Datagram(d.flow(), d.fromClient(), rest.toByteArray(), d.frame()));
        }
        return out;
    }
}
