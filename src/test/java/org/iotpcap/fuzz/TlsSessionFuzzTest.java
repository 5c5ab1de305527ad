package org.iotpcap.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.tls.DtlsSession;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.dissect.tls.TlsSession;

/**
 * {@link TlsSession} in isolation (the record framer, the handshake parser, the certificate parser and, with the
 * fixture's key log, the record decryption), fed both directions of one connection in chunks the fuzzer
 * chooses, with gaps, then closed. Fails on an escaping exception, on more decrypted bytes or record bytes than
 * were fed to a direction, on a problem detail that quotes a secret of the key log, and on allocation beyond a
 * budget proportional to the bytes fed. The seeds are the two directions of real connections of
 * fixtures/captures/mqtt-tls.pcapng (TLS 1.3 AES-256-GCM, TLS 1.2 CBC and CCM-8) and of
 * fixtures/tls/tls13-keyupdate.pcapng (TLS 1.3 with KeyUpdates both ways), so the decrypting paths are reached.
 *
 * <p>Input layout ({@link FuzzInput}): one byte of settings (bit 0: use the key logs of those two captures), then
 * steps until the input ends: a byte choosing the direction (bit 0, 1 = client) and a gap (bits 1-3 all set),
 * then for a gap its size (4 bytes), else a chunk length (1 byte) and that many bytes.
 *
 * <p>{@link #dtls} feeds {@link DtlsSession} the same steps, each chunk one datagram (gaps are skipped), with
 * the pre-shared key of the coap-dtls-psk fixture and of the dtls-fragments fixture's PSK association; its seeds
 * are those captures' datagrams (the second's handshake messages in fragments), which decrypt.
 */
class TlsSessionFuzzTest {
    private static final String KEYLOG;

    static {
        try {
            KEYLOG = Files.readString(Path.of("fixtures", "captures", "mqtt-tls.keylog"), StandardCharsets.ISO_8859_1)
                    + Files.readString(Path.of("fixtures", "tls", "tls13-keyupdate.keylog"), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run from the repository root: " + e.getMessage(), e);
        }
    }

    private record Step(boolean fromClient, byte[] chunk, long gap) {}

    /** The seeds reach the decrypting paths: each decrypts its connection's application data. */
    @org.junit.jupiter.api.Test
    void seedsDecrypt() throws Exception {
        Path dir = Path.of("src", "test", "resources", "org", "iotpcap", "fuzz", "TlsSessionFuzzTestInputs", "feed");
        for (String seed : java.util.List.of("tls13-aes256gcm", "tls12-cbc-sha1", "tls12-ccm8", "tls13-keyupdate")) {
            TlsSession t = run(steps(Files.readAllBytes(dir.resolve(seed))), true);
            org.assertj.core.api.Assertions.assertThat(t.decrypted()).as(seed).isTrue();
            org.assertj.core.api.Assertions.assertThat(t.notDecryptedReason()).as(seed).isNull();
        }
        TlsSession k = run(steps(Files.readAllBytes(dir.resolve("tls13-keyupdate"))), true);
        org.assertj.core.api.Assertions.assertThat(k.keyUpdates(true) + k.keyUpdates(false)).isEqualTo(6);
    }

    @FuzzTest(maxDuration = "10s")
    void feed(byte[] data) throws Exception {
        boolean keys = (data.length > 0 && (data[0] & 1) != 0);
        java.util.List<Step> steps = steps(data);
        long total = 0;
        for (Step s : steps) {
            total += s.chunk() == null ? 0 : s.chunk().length;
        }
        // one record buffer (up to 18 KiB) and one handshake buffer per direction, the secrets, each record's
        // plaintext copy, JCA cipher objects per record
        FuzzChecks.withinBudget(4L * 1024 * 1024 + 64L * total + 4096L * steps.size(), "TlsSession",
                () -> run(steps, keys));
    }

    @FuzzTest(maxDuration = "10s")
    void dtls(byte[] data) throws Exception {
        java.util.List<Step> steps = steps(data);
        FuzzChecks.withinBudget(4L * 1024 * 1024 + 64L * data.length + 4096L * steps.size(), "DtlsSession",
                () -> runDtls(steps));
    }

    /**
     * The DTLS seeds decrypt: the coap-dtls-psk capture's one CoAP request, and the dtls-fragments PSK
     * association's request (9 bytes) and response (11), whose handshake is in fragments.
     */
    @org.junit.jupiter.api.Test
    void dtlsSeedDecrypts() throws Exception {
        Path dir = Path.of("src", "test", "resources", "org", "iotpcap", "fuzz", "TlsSessionFuzzTestInputs", "dtls");
        DtlsSession d = runDtls(steps(Files.readAllBytes(dir.resolve("coap-dtls-psk"))));
        org.assertj.core.api.Assertions.assertThat(d.decrypted()).isTrue();
        org.assertj.core.api.Assertions.assertThat(d.plaintextBytes(true)).isEqualTo(9);
        DtlsSession f = runDtls(steps(Files.readAllBytes(dir.resolve("dtls-fragments-psk"))));
        org.assertj.core.api.Assertions.assertThat(f.notDecryptedReason()).isNull();
        org.assertj.core.api.Assertions.assertThat(f.plaintextBytes(true)).isEqualTo(9);
        org.assertj.core.api.Assertions.assertThat(f.plaintextBytes(false)).isEqualTo(11);
    }

    /** fixtures/generate phase_dtls_fragments: the identity is "device-1-" 26 times. */
    private static final String FRAGMENTS_IDENTITY = "device-1-".repeat(26);

    private static DtlsSession runDtls(java.util.List<Step> steps) {
        TlsSecrets secrets = new TlsSecrets();
        secrets.addPsk("device-1", java.util.HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
        secrets.addPsk(FRAGMENTS_IDENTITY, java.util.HexFormat.of().parseHex("0102030405060708090a0b0c0d0e0f10"));
        long[] fed = new long[2];
        long[] plain = new long[2];
        DtlsSession d = new DtlsSession(secrets, new TlsSession.Listener() {
            @Override
            public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                FuzzChecks.check(off >= 0 && len >= 0 && off + len <= b.length, "plaintext slice out of its array");
                plain[fromClient ? 0 : 1] += len;
            }

            @Override
            public void problem(long frame, String reason, String detail) {
                FuzzChecks.check(!detail.contains("0102030405060708090a0b0c0d0e0f10"), "a detail quotes the key");
            }
        });
        long frame = 0;
        for (Step s : steps) {
            frame++;
            if (s.chunk() == null) {
                continue;
            }
            byte[] b = new byte[s.chunk().length + 7];
            System.arraycopy(s.chunk(), 0, b, 3, s.chunk().length);
            fed[s.fromClient() ? 0 : 1] += s.chunk().length;
            d.datagram(s.fromClient(), ByteView.of(b, 3, s.chunk().length), frame, frame * 1000);
        }
        for (int dir = 0; dir < 2; dir++) {
            FuzzChecks.check(d.bytes(dir == 0) <= fed[dir], "record bytes exceed the bytes fed");
            FuzzChecks.check(plain[dir] <= fed[dir] && d.plaintextBytes(dir == 0) == plain[dir],
                    "plaintext bytes disagree with what was fed");
        }
        FuzzChecks.check(d.decrypted() || d.notDecryptedReason() != null, "not decrypted and no reason");
        return d;
    }

    private static java.util.List<Step> steps(byte[] data) {
        FuzzInput in = new FuzzInput(data);
        in.u8();
        java.util.List<Step> steps = new java.util.ArrayList<>();
        while (in.remaining() > 0) {
            int cmd = in.u8();
            boolean fromClient = (cmd & 1) != 0;
            if ((cmd & 0x0e) == 0x0e) {
                steps.add(new Step(fromClient, null, 1 + in.u32()));
            } else {
                byte[] chunk = in.bytes(in.u8());
                steps.add(new Step(fromClient, chunk, 0));
            }
        }
        return steps;
    }

    private static TlsSession run(java.util.List<Step> steps, boolean keys) {
        TlsSecrets secrets = new TlsSecrets();
        if (keys) {
            secrets.addKeyLog(KEYLOG);
        }
        long[] fed = new long[2];
        long[] plain = new long[2];
        TlsSession t = new TlsSession(secrets, new TlsSession.Listener() {
            @Override
            public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                FuzzChecks.check(off >= 0 && len >= 0 && off + len <= b.length, "plaintext slice out of its array");
                plain[fromClient ? 0 : 1] += len;
            }

            @Override
            public void problem(long frame, String reason, String detail) {
                for (String line : KEYLOG.split("\n")) {
                    String[] f = line.split(" ");
                    FuzzChecks.check(f.length != 3 || !detail.contains(f[2]), "a problem detail quotes a secret");
                }
            }
        });
        long frame = 0;
        for (Step s : steps) {
            frame++;
            int dir = s.fromClient() ? 0 : 1;
            if (s.chunk() == null) {
                fed[dir] += s.gap();
                t.gap(s.fromClient(), s.gap(), frame);
                continue;
            }
            byte[] b = new byte[s.chunk().length + 7];
            System.arraycopy(s.chunk(), 0, b, 3, s.chunk().length);
            fed[dir] += s.chunk().length;
            t.feed(s.fromClient(), b, 3, s.chunk().length, frame, frame * 1000);
        }
        t.close();
        for (int dir = 0; dir < 2; dir++) {
            FuzzChecks.check(t.bytes(dir == 0) <= fed[dir], "record bytes exceed the bytes fed");
            FuzzChecks.check(plain[dir] <= fed[dir] && t.plaintextBytes(dir == 0) == plain[dir],
                    "plaintext bytes disagree with what was fed");
        }
        FuzzChecks.check(t.decrypted() || t.notDecryptedReason() != null, "not decrypted and no reason");
        return t;
    }
}
