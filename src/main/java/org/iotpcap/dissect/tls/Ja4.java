package org.iotpcap.dissect.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The JA4 TLS client fingerprint of a ClientHello (FoxIO JA4 specification, technical_details/JA4.md):
 * {@code a_b_c} where
 * <ul>
 * <li>a = transport ({@code t} TCP, {@code d} DTLS) + version (highest of supported_versions, else the legacy
 *     version: {@code 13}, {@code 12}, {@code 11}, {@code 10}, {@code s3}, {@code d1}, {@code d2}, {@code d3},
 *     {@code 00} otherwise) + {@code d} with SNI, {@code i} without + cipher count and extension count (two
 *     digits each, at most 99) + the first and last character of the first ALPN value ({@code 00} without; the
 *     first and last hex digit of the value when either character is not alphanumeric);</li>
 * <li>b = the first 12 hex digits of SHA-256 over the cipher suites as 4-digit hex, sorted, comma-separated
 *     ({@code 000000000000} when there are none);</li>
 * <li>c = the same over the extension types sorted, without SNI (0000) and ALPN (0010), then {@code _} and the
 *     signature algorithms in wire order (no {@code _} when there are none); {@code 000000000000} when there
 *     is no extension.</li>
 * </ul>
 * GREASE values (RFC 8701) are left out of every count and list.
 */
public final class Ja4 {
    private Ja4() {}

    private static final String ZERO = "000000000000";

    /** True for the 16 GREASE values 0x0a0a, 0x1a1a, ... 0xfafa (RFC 8701 section 2). */
    public static boolean isGrease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >> 12) == ((v >> 4) & 0x0f);
    }

    /** The fingerprint of {@code hello}; {@code dtls} selects the {@code d} transport prefix. */
    public static String of(TlsClientHello hello, boolean dtls) {
        List<Integer> ciphers = withoutGrease(hello.cipherSuites());
        List<Integer> exts = withoutGrease(hello.extensions());
        StringBuilder a = new StringBuilder(10);
        a.append(dtls ? 'd' : 't').append(version(hello.maxVersion()));
        a.append(hello.serverName() != null ? 'd' : 'i');
        a.append(twoDigits(ciphers.size())).append(twoDigits(exts.size()));
        a.append(alpn(hello.alpn()));
        String b = ciphers.isEmpty() ? ZERO : hash(join(sorted(ciphers)));
        List<Integer> cExts = new ArrayList<>();
        for (int e : sorted(exts)) {
            if (e != TlsClientHello.EXT_SERVER_NAME && e != TlsClientHello.EXT_ALPN) {
                cExts.add(e);
            }
        }
        List<Integer> sig = withoutGrease(hello.signatureAlgorithms());
        String c;
        if (exts.isEmpty()) {
            c = ZERO;
        } else {
            c = hash(sig.isEmpty() ? join(cExts) : join(cExts) + "_" + join(sig));
        }
        return a + "_" + b + "_" + c;
    }

    static String version(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static String alpn(List<String> alpn) {
        if (alpn.isEmpty() || alpn.get(0).isEmpty()) {
            return "00";
        }
        String v = alpn.get(0);
        char first = v.charAt(0);
        char last = v.charAt(v.length() - 1);
        if (alnum(first) && alnum(last)) {
            return "" + first + last;
        }
        String hex = HexFormat.of().formatHex(v.getBytes(StandardCharsets.ISO_8859_1));
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean alnum(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String twoDigits(int n) {
        int m = Math.min(n, 99);
        return m < 10 ? "0" + m : Integer.toString(m);
    }

    private static List<Integer> withoutGrease(List<Integer> values) {
        List<Integer> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!isGrease(v)) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<Integer> sorted(List<Integer> values) {
        List<Integer> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }

    private static String join(List<Integer> values) {
        StringBuilder sb = new StringBuilder(values.size() * 5);
        for (int v : values) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(String.format("%04x", v));
        }
        return sb.toString();
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    static byte[] unhex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
