package org.iotpcap.dissect.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The read state of one direction of a TLS connection: a cipher suite's keys and the record sequence number,
 * opening one protected record at a time.
 * <ul>
 * <li>TLS 1.3 (RFC 8446 section 5.2-5.3): key and IV from a traffic secret by HKDF-Expand-Label (section 7.3),
 *     nonce = IV XOR sequence number, additional data = the record header; the inner plaintext ends with its
 *     real content type and zero padding, which are stripped.</li>
 * <li>TLS 1.2 AEAD: GCM (RFC 5288) and CCM (RFC 6655) with a 4-byte implicit salt and an 8-byte explicit nonce
 *     in the record; ChaCha20-Poly1305 (RFC 7905) with nonce = IV XOR sequence number; additional data =
 *     seq_num + type + version + plaintext length (RFC 5246 section 6.2.3.3).</li>
 * <li>TLS 1.2 CBC (RFC 5246 section 6.2.3.2) with an explicit IV, HMAC-SHA1/SHA-256/SHA-384 over the plaintext
 *     (MAC-then-encrypt), or over the IV and ciphertext when encrypt_then_mac was negotiated (RFC 7366).</li>
 * </ul>
 * A record that fails authentication returns null and leaves the sequence number as it was.
 */
public final class TlsRecordCipher {
    /** An opened record: its real content type and plaintext. */
    public record Opened(int type, byte[] plaintext) {}

    private final TlsCipherSuite suite;
    private final boolean tls13;
    private final boolean encryptThenMac;
    private final byte[] key;
    private final byte[] iv;
    private final byte[] macKey;
    /** TLS 1.3: the traffic secret the key and IV come from, for {@link #updated()}; null for TLS 1.2. */
    private final byte[] trafficSecret;
    private long seq;

    private TlsRecordCipher(TlsCipherSuite suite, boolean tls13, boolean etm, byte[] key, byte[] iv, byte[] macKey,
                            byte[] trafficSecret) {
        this.suite = suite;
        this.tls13 = tls13;
        this.encryptThenMac = etm;
        this.key = key;
        this.iv = iv;
        this.macKey = macKey;
        this.trafficSecret = trafficSecret;
    }

    /** TLS 1.3 read state from a traffic secret (RFC 8446 section 7.3). */
    public static TlsRecordCipher tls13(TlsCipherSuite suite, byte[] trafficSecret) throws GeneralSecurityException {
        byte[] key = expandLabel(suite.hash(), trafficSecret, "key", suite.keyBytes());
        byte[] iv = expandLabel(suite.hash(), trafficSecret, "iv", 12);
        return new TlsRecordCipher(suite, true, false, key, iv, null, trafficSecret.clone());
    }

    /**
     * TLS 1.3: the read state after the sender's KeyUpdate (RFC 8446 section 7.2), from
     * application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "",
     * Hash.length); its sequence number starts at 0 again (section 5.3).
     */
    public TlsRecordCipher updated() throws GeneralSecurityException {
        if (!tls13) {
            throw new IllegalStateException("KeyUpdate is TLS 1.3's");
        }
        return tls13(suite, nextTrafficSecret(suite.hash(), trafficSecret));
    }

    /** application_traffic_secret_N+1 from _N (RFC 8446 section 7.2). */
    static byte[] nextTrafficSecret(String hash, byte[] secret) throws GeneralSecurityException {
        return expandLabel(hash, secret, "traffic upd", MessageDigest.getInstance(hash).getDigestLength());
    }

    /**
     * TLS 1.2 read states of both directions from the master secret: key_block = PRF(master_secret,
     * "key expansion", server_random + client_random), cut into client MAC key, server MAC key, client key, server
     * key, client IV, server IV (RFC 5246 section 6.3); the IVs only for the implicit-nonce suites.
     *
     * @return {client's, server's}
     */
    public static TlsRecordCipher[] tls12(TlsCipherSuite suite, byte[] master, byte[] clientRandom,
                                          byte[] serverRandom, boolean etm) throws GeneralSecurityException {
        int mac = suite.macBytes();
        int k = suite.keyBytes();
        int ivLen = switch (suite.bulk()) {
            case AES_GCM, AES_CCM, AES_CCM_8 -> 4;
            case CHACHA20_POLY1305 -> 12;
            case AES_CBC -> 0;
        };
        byte[] seed = concat(serverRandom, clientRandom);
        byte[] block = prf(suite.hash(), master, "key expansion", seed, 2 * (mac + k + ivLen));
        int at = 0;
        byte[] cMac = Arrays.copyOfRange(block, at, at += mac);
        byte[] sMac = Arrays.copyOfRange(block, at, at += mac);
        byte[] cKey = Arrays.copyOfRange(block, at, at += k);
        byte[] sKey = Arrays.copyOfRange(block, at, at += k);
        byte[] cIv = Arrays.copyOfRange(block, at, at += ivLen);
        byte[] sIv = Arrays.copyOfRange(block, at, at + ivLen);
        return new TlsRecordCipher[] {new TlsRecordCipher(suite, false, etm, cKey, cIv, cMac, null),
                new TlsRecordCipher(suite, false, etm, sKey, sIv, sMac, null)};
    }

    /**
     * Opens one DTLS record (RFC 6347 section 4.1.2.1): the sequence number in the MAC and AEAD input is the
     * record's own epoch (16 bits) and sequence number (48 bits), not an implicit counter.
     */
    public Opened openDtls(long epochAndSequence, int type, int version, byte[] f, int off, int len) {
        seq = epochAndSequence;
        return open(type, version, f, off, len);
    }

    /** Opens one record; null when it does not authenticate (wrong keys, damaged record). */
    public Opened open(int type, int version, byte[] f, int off, int len) {
        try {
            Opened o = tls13 ? open13(type, version, f, off, len) : open12(type, version, f, off, len);
            if (o != null) {
                seq++;
            }
            return o;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private Opened open13(int type, int version, byte[] f, int off, int len) throws GeneralSecurityException {
        byte[] aad = {(byte) type, (byte) (version >> 8), (byte) version, (byte) (len >> 8), (byte) len};
        byte[] p = aead(xorSeq(iv), aad, f, off, len);
        if (p == null) {
            return null;
        }
        int end = p.length;
        while (end > 0 && p[end - 1] == 0) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        return new Opened(p[end - 1] & 0xff, Arrays.copyOf(p, end - 1));
    }

    private Opened open12(int type, int version, byte[] f, int off, int len) throws GeneralSecurityException {
        switch (suite.bulk()) {
            case AES_GCM, AES_CCM, AES_CCM_8 -> {
                int tag = suite.bulk() == TlsCipherSuite.Bulk.AES_CCM_8 ? 8 : 16;
                if (len < 8 + tag) {
                    return null;
                }
                byte[] nonce = concat(iv, Arrays.copyOfRange(f, off, off + 8));
                byte[] p = aead(nonce, aad12(type, version, len - 8 - tag), f, off + 8, len - 8);
                return p == null ? null : new Opened(type, p);
            }
            case CHACHA20_POLY1305 -> {
                if (len < 16) {
                    return null;
                }
                byte[] p = aead(xorSeq(iv), aad12(type, version, len - 16), f, off, len);
                return p == null ? null : new Opened(type, p);
            }
            default -> {
                return cbc(type, version, f, off, len);
            }
        }
    }

    private Opened cbc(int type, int version, byte[] f, int off, int len) throws GeneralSecurityException {
        int mac = suite.macBytes();
        Mac hmac = Mac.getInstance(suite.macAlgorithm());
        hmac.init(new SecretKeySpec(macKey, suite.macAlgorithm()));
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        if (encryptThenMac) {
            int body = len - mac;
            if (body < 32 || body % 16 != 0) {
                return null;
            }
            hmac.update(aad12(type, version, body));
            hmac.update(f, off, body);
            if (!MessageDigest.isEqual(hmac.doFinal(), Arrays.copyOfRange(f, off + body, off + len))) {
                return null;
            }
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(f, off, 16));
            byte[] p = aes.doFinal(f, off + 16, body - 16);
            int pad = p[p.length - 1] & 0xff;
            if (pad + 1 > p.length) {
                return null;
            }
            return new Opened(type, Arrays.copyOf(p, p.length - pad - 1));
        }
        if (len < 16 + 16 || len % 16 != 0) {
            return null;
        }
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(f, off, 16));
        byte[] p = aes.doFinal(f, off + 16, len - 16);
        int pad = p[p.length - 1] & 0xff;
        int content = p.length - pad - 1 - mac;
        if (content < 0) {
            return null;
        }
        hmac.update(aad12(type, version, content));
        hmac.update(p, 0, content);
        if (!MessageDigest.isEqual(hmac.doFinal(), Arrays.copyOfRange(p, content, content + mac))) {
            return null;
        }
        return new Opened(type, Arrays.copyOf(p, content));
    }

    /** The AEAD plaintext of ciphertext-and-tag {@code f[off, off+len)}, or null when the tag does not match. */
    private byte[] aead(byte[] nonce, byte[] aad, byte[] f, int off, int len) throws GeneralSecurityException {
        try {
            switch (suite.bulk()) {
                case AES_GCM -> {
                    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
                    c.updateAAD(aad);
                    return c.doFinal(f, off, len);
                }
                case CHACHA20_POLY1305 -> {
                    Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
                    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
                    c.updateAAD(aad);
                    return c.doFinal(f, off, len);
                }
                case AES_CCM, AES_CCM_8 -> {
                    return TlsCcm.decrypt(key, nonce, aad, f, off, len,
                            suite.bulk() == TlsCipherSuite.Bulk.AES_CCM_8 ? 8 : 16);
                }
                default -> {
                    return null;
                }
            }
        } catch (javax.crypto.AEADBadTagException e) {
            return null;
        }
    }

    /** seq_num (8) + type (1) + version (2) + length (2). */
    private byte[] aad12(int type, int version, int length) {
        byte[] a = new byte[13];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (seq >>> (56 - 8 * i));
        }
        a[8] = (byte) type;
        a[9] = (byte) (version >> 8);
        a[10] = (byte) version;
        a[11] = (byte) (length >> 8);
        a[12] = (byte) length;
        return a;
    }

    /** The IV with the sequence number, left-padded to its length, XORed into it. */
    private byte[] xorSeq(byte[] base) {
        byte[] n = base.clone();
        for (int i = 0; i < 8; i++) {
            n[n.length - 1 - i] ^= (byte) (seq >>> (8 * i));
        }
        return n;
    }

    /** HKDF-Expand-Label(secret, label, "", length) (RFC 8446 section 7.1) over HKDF-Expand (RFC 5869). */
    static byte[] expandLabel(String hash, byte[] secret, String label, int length) throws GeneralSecurityException {
        byte[] l = ("tls13 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = new byte[2 + 1 + l.length + 1];
        info[0] = (byte) (length >> 8);
        info[1] = (byte) length;
        info[2] = (byte) l.length;
        System.arraycopy(l, 0, info, 3, l.length);
        Mac h = Mac.getInstance(hmacName(hash));
        h.init(new SecretKeySpec(secret, h.getAlgorithm()));
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int at = 0;
        for (int i = 1; at < length; i++) {
            h.update(t);
            h.update(info);
            h.update((byte) i);
            t = h.doFinal();
            int n = Math.min(t.length, length - at);
            System.arraycopy(t, 0, out, at, n);
            at += n;
        }
        return out;
    }

    /** The TLS 1.2 PRF: P_hash(secret, label + seed) (RFC 5246 section 5). */
    static byte[] prf(String hash, byte[] secret, String label, byte[] seed, int length) throws GeneralSecurityException {
        byte[] s = concat(label.getBytes(StandardCharsets.US_ASCII), seed);
        Mac h = Mac.getInstance(hmacName(hash));
        h.init(new SecretKeySpec(secret, h.getAlgorithm()));
        byte[] out = new byte[length];
        byte[] a = s;
        int at = 0;
        while (at < length) {
            a = h.doFinal(a);
            h.update(a);
            byte[] t = h.doFinal(s);
            int n = Math.min(t.length, length - at);
            System.arraycopy(t, 0, out, at, n);
            at += n;
        }
        return out;
    }

    private static String hmacName(String hash) {
        return hash.equals("SHA-384") ? "HmacSHA384" : "HmacSHA256";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
