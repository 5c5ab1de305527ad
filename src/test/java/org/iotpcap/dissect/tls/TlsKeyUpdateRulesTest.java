package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The KeyUpdate rules of RFC 8446 section 4.6.3 on inline bytes: a TLS 1.3 connection (TLS_AES_128_GCM_SHA256)
 * whose client records are sealed here with the RFC's record protection (section 5.2: nonce = IV XOR sequence
 * number, additional data = the record header, inner plaintext = content | type) from test secrets. The real
 * peers' KeyUpdates are {@link TlsKeyUpdateTest}'s; this checks what they do not send.
 */
class TlsKeyUpdateRulesTest {
    private static final byte[] CLIENT_RANDOM = new byte[32];
    private static final byte[] C0 = new byte[32];
    private static final byte[] S0 = new byte[32];

    static {
        Arrays.fill(CLIENT_RANDOM, (byte) 0x11);
        Arrays.fill(C0, (byte) 0x22);
        Arrays.fill(S0, (byte) 0x33);
    }

    /** A handshake record in the clear: type 22, legacy version 0x0303, one message. */
    private static byte[] plainHandshake(int type, byte[] body) {
        byte[] r = new byte[5 + 4 + body.length];
        r[0] = 22;
        r[1] = 3;
        r[2] = 3;
        r[3] = (byte) ((4 + body.length) >> 8);
        r[4] = (byte) (4 + body.length);
        r[5] = (byte) type;
        r[6] = 0;
        r[7] = (byte) (body.length >> 8);
        r[8] = (byte) body.length;
        System.arraycopy(body, 0, r, 9, body.length);
        return r;
    }

    private static byte[] clientHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {3, 3});            // legacy_version
        b.writeBytes(CLIENT_RANDOM);                 // random
        b.write(0);                                  // legacy_session_id <0..32>
        b.writeBytes(new byte[] {0, 2, 0x13, 0x01}); // cipher_suites: TLS_AES_128_GCM_SHA256
        b.writeBytes(new byte[] {1, 0});             // legacy_compression_methods: null
        b.writeBytes(new byte[] {0, 0});             // extensions: none
        return b.toByteArray();
    }

    private static byte[] serverHello() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {3, 3});
        b.writeBytes(new byte[32]);                  // random
        b.write(0);                                  // legacy_session_id_echo
        b.writeBytes(new byte[] {0x13, 0x01});       // cipher_suite
        b.write(0);                                  // legacy_compression_method
        b.writeBytes(new byte[] {0, 6, 0, 0x2b, 0, 2, 3, 4}); // extensions: supported_versions = TLS 1.3
        return b.toByteArray();
    }

    /** Seals one record (RFC 8446 section 5.2) under {@code secret}, record number {@code seq}. */
    private static byte[] seal(byte[] secret, long seq, int type, byte[] content) throws Exception {
        byte[] key = TlsRecordCipher.expandLabel("SHA-256", secret, "key", 16);
        byte[] iv = TlsRecordCipher.expandLabel("SHA-256", secret, "iv", 12);
        for (int i = 0; i < 8; i++) {
            iv[11 - i] ^= (byte) (seq >>> (8 * i));
        }
        byte[] inner = Arrays.copyOf(content, content.length + 1);
        inner[content.length] = (byte) type;
        int len = inner.length + 16;
        byte[] header = {23, 3, 3, (byte) (len >> 8), (byte) len};
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(header);
        byte[] sealed = c.doFinal(inner);
        byte[] record = Arrays.copyOf(header, 5 + sealed.length);
        System.arraycopy(sealed, 0, record, 5, sealed.length);
        return record;
    }

    private record Run(List<String> plaintext, List<String> problems, TlsSession session) {}

    private static Run run(byte[]... clientRecords) {
        TlsSecrets secrets = new TlsSecrets();
        String random = HexFormat.of().formatHex(CLIENT_RANDOM);
        secrets.addKeyLog("CLIENT_TRAFFIC_SECRET_0 " + random + " " + HexFormat.of().formatHex(C0) + "\n"
                + "SERVER_TRAFFIC_SECRET_0 " + random + " " + HexFormat.of().formatHex(S0) + "\n");
        List<String> plaintext = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        TlsSession t = new TlsSession(secrets, new TlsSession.Listener() {
            @Override
            public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                plaintext.add(new String(b, off, len, StandardCharsets.US_ASCII));
            }

            @Override
            public void problem(long frame, String reason, String detail) {
                problems.add(frame + " " + reason);
            }
        });
        byte[] ch = plainHandshake(1, clientHello());
        t.feed(true, ch, 0, ch.length, 1, 0);
        byte[] sh = plainHandshake(2, serverHello());
        t.feed(false, sh, 0, sh.length, 2, 0);
        long frame = 3;
        for (byte[] r : clientRecords) {
            t.feed(true, r, 0, r.length, frame++, 0);
        }
        return new Run(plaintext, problems, t);
    }

    private static byte[] keyUpdate(int... body) {
        byte[] m = new byte[4 + body.length];
        m[0] = 24;                                   // KeyUpdate
        m[3] = (byte) body.length;
        for (int i = 0; i < body.length; i++) {
            m[4 + i] = (byte) body[i];
        }
        return m;
    }

    @Test
    void decode_key_update_moves_the_sender_to_the_next_secret_and_its_sequence_to_zero() throws Exception {
        byte[] c1 = TlsRecordCipher.nextTrafficSecret("SHA-256", C0);
        Run r = run(seal(C0, 0, 23, "before".getBytes(StandardCharsets.US_ASCII)),
                seal(C0, 1, 22, keyUpdate(1)),   // update_requested
                seal(c1, 0, 23, "after".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.problems()).isEmpty();
        assertThat(r.plaintext()).containsExactly("before", "after");
        assertThat(r.session().keyUpdates(true)).isEqualTo(1);
        assertThat(r.session().keyUpdates(false)).isZero();
    }

    @Test
    void decode_key_update_of_two_bytes_or_value_2_malformed_and_the_keys_still_move() throws Exception {
        byte[] c1 = TlsRecordCipher.nextTrafficSecret("SHA-256", C0);
        byte[] c2 = TlsRecordCipher.nextTrafficSecret("SHA-256", c1);
        Run r = run(seal(C0, 0, 22, keyUpdate(0, 0)),
                seal(c1, 0, 23, "one".getBytes(StandardCharsets.US_ASCII)),
                seal(c1, 1, 22, keyUpdate(2)),
                seal(c2, 0, 23, "two".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.problems()).containsExactly("3 bad_key_update", "5 bad_key_update");
        assertThat(r.plaintext()).containsExactly("one", "two");
        assertThat(r.session().keyUpdates(true)).isEqualTo(2);
    }

    @Test
    void a_record_under_the_old_key_after_a_key_update_fails() throws Exception {
        Run r = run(seal(C0, 0, 22, keyUpdate(0)),
                seal(C0, 1, 23, "stale".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.plaintext()).isEmpty();
        assertThat(r.problems()).containsExactly("4 decryption_failed");
        assertThat(r.session().notDecryptedReason()).isEqualTo("decryption_failed");
    }
}
