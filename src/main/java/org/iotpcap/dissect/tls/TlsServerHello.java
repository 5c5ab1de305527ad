package org.iotpcap.dissect.tls;

import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * A ServerHello (RFC 8446 section 4.1.3, RFC 5246 section 7.4.1.3): the version and cipher suite the server
 * chose, its random, and the extensions that decide how records are protected.
 *
 * @param version the negotiated version: supported_versions when present (TLS 1.3), else the legacy version
 * @param alpn the protocol the server selected, null when none
 * @param encryptThenMac the server accepted encrypt_then_mac (RFC 7366): CBC records are MAC'd after encryption
 * @param extendedMasterSecret the server accepted extended_master_secret (RFC 7627)
 */
public record TlsServerHello(int version, byte[] random, int cipherSuite, String alpn, boolean encryptThenMac,
                             boolean helloRetryRequest, boolean extendedMasterSecret) {

    /** SHA-256 of "HelloRetryRequest" (RFC 8446 section 4.1.3): a ServerHello with this random is an HRR. */
    private static final byte[] HRR_RANDOM = Ja4.unhex(
            "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    /** Decodes the body of a ServerHello handshake message (after its 4-byte type and length). */
    public static DecodeResult<TlsServerHello> decode(ByteView in) {
        // 2 (version) + 32 (random) + 1 (session id length)
        if (in.length() < 35) {
            return DecodeResult.malformed(TlsReason.TOO_SHORT, 0, "ServerHello of " + in.length() + " bytes");
        }
        int version = in.u16(0);
        byte[] random = in.toByteArray(2, 32);
        int at = 34;
        int sid = in.u8(at);
        at += 1 + sid;
        // cipher_suite (2) + legacy_compression_method (1)
        if (sid > 32 || at + 3 > in.length()) {
            return DecodeResult.malformed(TlsReason.BAD_LENGTH, 34, "session id length " + sid);
        }
        int suite = in.u16(at);
        at += 3;
        TlsExtensions ext = TlsExtensions.decode(in, at, false);
        if (ext.error() != null) {
            return DecodeResult.malformed(TlsReason.BAD_EXTENSION, ext.errorOffset(), ext.error());
        }
        List<Integer> sv = ext.supportedVersions();
        int negotiated = sv.isEmpty() ? version : sv.get(0);
        List<String> alpn = ext.alpn();
        return DecodeResult.ok(new TlsServerHello(negotiated, random, suite, alpn.isEmpty() ? null : alpn.get(0),
                ext.encryptThenMac(), java.util.Arrays.equals(random, HRR_RANDOM), ext.extendedMasterSecret()));
    }
}
