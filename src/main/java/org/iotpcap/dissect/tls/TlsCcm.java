package org.iotpcap.dissect.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-CCM decryption (RFC 3610; NIST SP 800-38C) on the JDK's AES/ECB block cipher, for the TLS CCM suites
 * (RFC 6655, RFC 8446: 12-byte nonce, so L = 3; tag of 16 bytes, or 8 for CCM_8). The JDK has no AES-CCM; this
 * is the whole mode (counter encryption plus CBC-MAC, some sixty lines), so no dependency is taken for it.
 */
final class TlsCcm {
    private TlsCcm() {}

    /**
     * The plaintext of {@code ct[off, off+len)} (ciphertext then tag), or null when the tag does not match.
     */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ct, int off, int len, int tagBytes)
            throws GeneralSecurityException {
        if (len < tagBytes || nonce.length < 7 || nonce.length > 13) {
            return null;
        }
        Cipher aes = Cipher.getInstance("AES/ECB/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        int l = 15 - nonce.length;
        int m = len - tagBytes;
        byte[] plain = new byte[m];
        byte[] ctr = new byte[16];
        ctr[0] = (byte) (l - 1);
        System.arraycopy(nonce, 0, ctr, 1, nonce.length);
        byte[] s = new byte[16];
        // keystream blocks A_1, A_2, ... (RFC 3610 section 2.3)
        for (int i = 0; i < m; i += 16) {
            setCounter(ctr, l, i / 16 + 1);
            aes.doFinal(ctr, 0, 16, s, 0);
            int n = Math.min(16, m - i);
            for (int j = 0; j < n; j++) {
                plain[i + j] = (byte) (ct[off + i + j] ^ s[j]);
            }
        }
        // CBC-MAC over B_0, the encoded AAD and the message (section 2.2)
        byte[] x = new byte[16];
        byte[] b = new byte[16];
        b[0] = (byte) ((aad.length > 0 ? 0x40 : 0) | (((tagBytes - 2) / 2) << 3) | (l - 1));
        System.arraycopy(nonce, 0, b, 1, nonce.length);
        for (int i = 0; i < l; i++) {
            b[15 - i] = (byte) (m >>> (8 * i));
        }
        mac(aes, x, b, 0, 16);
        if (aad.length > 0) {
            // 0 < l(a) < 2^16 - 2^8: two length octets, then a, zero-padded to the block
            byte[] a = new byte[2 + aad.length];
            a[0] = (byte) (aad.length >> 8);
            a[1] = (byte) aad.length;
            System.arraycopy(aad, 0, a, 2, aad.length);
            mac(aes, x, a, 0, a.length);
        }
        mac(aes, x, plain, 0, m);
        setCounter(ctr, l, 0);
        aes.doFinal(ctr, 0, 16, s, 0);
        byte[] tag = new byte[tagBytes];
        for (int j = 0; j < tagBytes; j++) {
            tag[j] = (byte) (x[j] ^ s[j]);
        }
        byte[] got = new byte[tagBytes];
        System.arraycopy(ct, off + m, got, 0, tagBytes);
        return MessageDigest.isEqual(tag, got) ? plain : null;
    }

    private static void setCounter(byte[] ctr, int l, int i) {
        for (int k = 0; k < l; k++) {
            ctr[15 - k] = (byte) (i >>> (8 * k));
        }
    }

    /** x = E(x XOR block) over {@code data[off, off+len)}, the last block zero-padded. */
    private static void mac(Cipher aes, byte[] x, byte[] data, int off, int len) throws GeneralSecurityException {
        for (int i = 0; i < len; i += 16) {
            int n = Math.min(16, len - i);
            for (int j = 0; j < n; j++) {
                x[j] ^= data[off + i + j];
            }
            aes.doFinal(x, 0, 16, x, 0);
        }
    }
}
