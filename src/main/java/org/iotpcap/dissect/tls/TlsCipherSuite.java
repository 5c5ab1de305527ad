package org.iotpcap.dissect.tls;

import java.util.HashMap;
import java.util.Map;

/**
 * A cipher suite iotpcap can decrypt, or only name: its IANA number and name (TLS Cipher Suites registry), and,
 * derived from the name, how its records are protected: the bulk cipher and key length, the record MAC of CBC
 * suites and the hash of the TLS 1.2 PRF or TLS 1.3 HKDF (SHA-384 for suites ending {@code _SHA384}, SHA-256
 * otherwise; RFC 5246 section 5, RFC 8446 section 7.1).
 *
 * @param macAlgorithm JCA HMAC name of a CBC suite (HMAC-SHA1 for {@code _SHA}), null for AEAD suites
 */
public record TlsCipherSuite(int id, String name, Bulk bulk, int keyBytes, String macAlgorithm, int macBytes,
                             String hash) {

    /** The record protection. */
    public enum Bulk { AES_GCM, CHACHA20_POLY1305, AES_CCM, AES_CCM_8, AES_CBC }

    private static final Map<Integer, TlsCipherSuite> KNOWN = new HashMap<>();

    private static void add(int id, String name) {
        Bulk bulk;
        if (name.contains("_GCM_")) {
            bulk = Bulk.AES_GCM;
        } else if (name.contains("CHACHA20_POLY1305")) {
            bulk = Bulk.CHACHA20_POLY1305;
        } else if (name.contains("_CCM_8")) {
            bulk = Bulk.AES_CCM_8;
        } else if (name.contains("_CCM")) {
            bulk = Bulk.AES_CCM;
        } else {
            bulk = Bulk.AES_CBC;
        }
        int key = name.contains("AES_256") || bulk == Bulk.CHACHA20_POLY1305 ? 32 : 16;
        String mac = null;
        int macBytes = 0;
        if (bulk == Bulk.AES_CBC) {
            if (name.endsWith("_SHA")) {
                mac = "HmacSHA1";
                macBytes = 20;
            } else if (name.endsWith("_SHA256")) {
                mac = "HmacSHA256";
                macBytes = 32;
            } else {
                mac = "HmacSHA384";
                macBytes = 48;
            }
        }
        KNOWN.put(id, new TlsCipherSuite(id, name, bulk, key, mac, macBytes,
                name.endsWith("_SHA384") ? "SHA-384" : "SHA-256"));
    }

    static {
        // TLS 1.3 (RFC 8446 appendix B.4)
        add(0x1301, "TLS_AES_128_GCM_SHA256");
        add(0x1302, "TLS_AES_256_GCM_SHA384");
        add(0x1303, "TLS_CHACHA20_POLY1305_SHA256");
        add(0x1304, "TLS_AES_128_CCM_SHA256");
        add(0x1305, "TLS_AES_128_CCM_8_SHA256");
        // TLS 1.2 AES-GCM (RFC 5288, 5289, 5487)
        add(0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256");
        add(0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384");
        add(0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256");
        add(0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384");
        add(0x00a8, "TLS_PSK_WITH_AES_128_GCM_SHA256");
        add(0x00a9, "TLS_PSK_WITH_AES_256_GCM_SHA384");
        add(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        add(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
        add(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        add(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");
        // ChaCha20-Poly1305 (RFC 7905)
        add(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        add(0xccab, "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256");
        add(0xccac, "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
        // AES-CCM (RFC 6655, 7251)
        add(0xc09c, "TLS_RSA_WITH_AES_128_CCM");
        add(0xc09d, "TLS_RSA_WITH_AES_256_CCM");
        add(0xc0a0, "TLS_RSA_WITH_AES_128_CCM_8");
        add(0xc0a1, "TLS_RSA_WITH_AES_256_CCM_8");
        add(0xc0a4, "TLS_PSK_WITH_AES_128_CCM");
        add(0xc0a5, "TLS_PSK_WITH_AES_256_CCM");
        add(0xc0a8, "TLS_PSK_WITH_AES_128_CCM_8");
        add(0xc0a9, "TLS_PSK_WITH_AES_256_CCM_8");
        add(0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
        add(0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM");
        add(0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
        add(0xc0af, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8");
        // AES-CBC with HMAC (RFC 5246, 5289, 4279, 5487)
        add(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA");
        add(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA");
        add(0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256");
        add(0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256");
        add(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA");
        add(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA");
        add(0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256");
        add(0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256");
        add(0x008c, "TLS_PSK_WITH_AES_128_CBC_SHA");
        add(0x008d, "TLS_PSK_WITH_AES_256_CBC_SHA");
        add(0x00ae, "TLS_PSK_WITH_AES_128_CBC_SHA256");
        add(0x00af, "TLS_PSK_WITH_AES_256_CBC_SHA384");
        add(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA");
        add(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");
        add(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
        add(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA");
        add(0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256");
        add(0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384");
        add(0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256");
        add(0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
        add(0xc035, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA");
        add(0xc036, "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA");
        add(0xc037, "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256");
    }

    /** The suite of that number, or null when iotpcap does not know it. */
    public static TlsCipherSuite of(int id) {
        return KNOWN.get(id);
    }

    /** The IANA name, or {@code 0x....} when unknown. */
    public static String name(int id) {
        TlsCipherSuite s = KNOWN.get(id);
        return s != null ? s.name : String.format("0x%04x", id);
    }

    /** True for the TLS 1.3 suites (0x13xx). */
    public boolean tls13() {
        return (id >> 8) == 0x13;
    }
}
