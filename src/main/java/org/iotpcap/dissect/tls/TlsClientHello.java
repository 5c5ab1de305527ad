package org.iotpcap.dissect.tls;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * A ClientHello (RFC 8446 section 4.1.2, RFC 5246 section 7.4.1.2), what the {@code tls_connections} table and
 * JA4 need of it: the legacy version, the random (which names the session in a key log), the offered cipher
 * suites and extension types in wire order, the SNI host name (RFC 6066 section 3), the ALPN protocols (RFC 7301),
 * supported_versions (RFC 8446 section 4.2.1) and signature_algorithms (section 4.2.3).
 *
 * @param extensions extension types in the order sent, GREASE included
 * @param serverName the first host_name of server_name, null when absent
 * @param encryptThenMac the client offered encrypt_then_mac (RFC 7366)
 */
public record TlsClientHello(int legacyVersion, byte[] random, List<Integer> cipherSuites, List<Integer> extensions,
                             String serverName, List<String> alpn, List<Integer> supportedVersions,
                             List<Integer> signatureAlgorithms, boolean encryptThenMac) {

    /** Extension types (IANA TLS ExtensionType Values). */
    public static final int EXT_SERVER_NAME = 0;
    public static final int EXT_SIGNATURE_ALGORITHMS = 13;
    public static final int EXT_ALPN = 16;
    public static final int EXT_ENCRYPT_THEN_MAC = 22;
    public static final int EXT_SUPPORTED_VERSIONS = 43;

    /**
     * Decodes the body of a ClientHello handshake message (after its 4-byte type and length).
     *
     * <pre>
     * legacy_version (2) | random (32) | legacy_session_id &lt;0..32&gt; | cipher_suites &lt;2..2^16-2&gt;
     * | legacy_compression_methods &lt;1..2^8-1&gt; | extensions &lt;8..2^16-1&gt; (may be absent before TLS 1.3)
     * </pre>
     */
    public static DecodeResult<TlsClientHello> decode(ByteView in) {
        return decode(in, false);
    }

    /**
     * The same for DTLS ({@code dtls}): a {@code cookie<0..2^8-1>} follows the session id (RFC 6347 section
     * 4.2.1).
     */
    public static DecodeResult<TlsClientHello> decode(ByteView in, boolean dtls) {
        // 2 (version) + 32 (random) + 1 (session id length)
        if (in.length() < 35) {
            return DecodeResult.malformed(TlsReason.TOO_SHORT, 0, "ClientHello of " + in.length() + " bytes");
        }
        int version = in.u16(0);
        byte[] random = in.toByteArray(2, 32);
        int at = 34;
        int sid = in.u8(at);
        at += 1 + sid;
        if (sid > 32 || at + 2 > in.length()) {
            return DecodeResult.malformed(TlsReason.BAD_LENGTH, 34, "session id length " + sid);
        }
        if (dtls) {
            at += 1 + in.u8(at);
            if (at + 2 > in.length()) {
                return DecodeResult.malformed(TlsReason.BAD_LENGTH, 35 + sid, "cookie length cut short");
            }
        }
        int suitesLen = in.u16(at);
        at += 2;
        if ((suitesLen & 1) != 0 || at + suitesLen + 1 > in.length()) {
            return DecodeResult.malformed(TlsReason.BAD_LENGTH, at - 2, "cipher suites length " + suitesLen);
        }
        List<Integer> suites = new ArrayList<>(suitesLen / 2);
        for (int i = 0; i < suitesLen; i += 2) {
            suites.add(in.u16(at + i));
        }
        at += suitesLen;
        int comp = in.u8(at);
        at += 1 + comp;
        if (at > in.length()) {
            return DecodeResult.malformed(TlsReason.BAD_LENGTH, at - 1 - comp, "compression methods length " + comp);
        }
        TlsExtensions ext = TlsExtensions.decode(in, at, true);
        if (ext.error() != null) {
            return DecodeResult.malformed(TlsReason.BAD_EXTENSION, ext.errorOffset(), ext.error());
        }
        return DecodeResult.ok(new TlsClientHello(version, random, List.copyOf(suites), ext.types(), ext.serverName(),
                ext.alpn(), ext.supportedVersions(), ext.signatureAlgorithms(), ext.encryptThenMac()));
    }

    /** The highest version offered: supported_versions without GREASE, else the legacy version. */
    public int maxVersion() {
        int max = -1;
        for (int v : supportedVersions) {
            if (!Ja4.isGrease(v) && v > max) {
                max = v;
            }
        }
        return max < 0 ? legacyVersion : max;
    }
}
