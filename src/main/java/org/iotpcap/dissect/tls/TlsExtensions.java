package org.iotpcap.dissect.tls;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;

/**
 * The extensions block of a ClientHello or ServerHello (RFC 8446 section 4.2): {@code extensions<..2^16-1>}, each
 * {@code extension_type (2) | extension_data<0..2^16-1>}. Reads the few whose content iotpcap reports; keeps the
 * types of all. An absent block (a TLS 1.2 hello may end before it) is an empty list.
 *
 * @param error why the block is malformed, null when it is not
 */
record TlsExtensions(List<Integer> types, String serverName, List<String> alpn, List<Integer> supportedVersions,
                     List<Integer> signatureAlgorithms, boolean encryptThenMac, String error, int errorOffset) {

    /** extended_master_secret (RFC 7627) is among the types. */
    boolean extendedMasterSecret() {
        return types.contains(EXT_EXTENDED_MASTER_SECRET);
    }

    static final int EXT_EXTENDED_MASTER_SECRET = 23;

    static TlsExtensions decode(ByteView in, int at, boolean client) {
        List<Integer> types = new ArrayList<>();
        List<String> alpn = new ArrayList<>();
        List<Integer> versions = new ArrayList<>();
        List<Integer> sigalgs = new ArrayList<>();
        String sni = null;
        boolean etm = false;
        if (at == in.length()) {
            return new TlsExtensions(List.of(), null, List.of(), List.of(), List.of(), false, null, 0);
        }
        if (at + 2 > in.length()) {
            return fail("extensions length cut short", at);
        }
        int end = at + 2 + in.u16(at);
        if (end > in.length()) {
            return fail("extensions length " + in.u16(at) + " exceeds the hello", at);
        }
        at += 2;
        while (at < end) {
            if (at + 4 > end) {
                return fail("extension header cut short", at);
            }
            int type = in.u16(at);
            int len = in.u16(at + 2);
            int body = at + 4;
            if (body + len > end) {
                return fail("extension " + type + " length " + len + " exceeds the block", at);
            }
            types.add(type);
            ByteView d = in.slice(body, len);
            switch (type) {
                case TlsClientHello.EXT_SERVER_NAME -> {
                    // server_name_list<1..2^16-1>: name_type (1) | HostName<1..2^16-1> (RFC 6066 section 3)
                    if (client && len >= 2) {
                        int listEnd = Math.min(len, 2 + d.u16(0));
                        int p = 2;
                        while (sni == null && p + 3 <= listEnd) {
                            int n = d.u16(p + 1);
                            if (p + 3 + n > listEnd) {
                                return fail("server_name entry length " + n + " exceeds its list", body + p);
                            }
                            if (d.u8(p) == 0) {
                                sni = d.latin1(p + 3, n);
                            }
                            p += 3 + n;
                        }
                    }
                }
                case TlsClientHello.EXT_ALPN -> {
                    // protocol_name_list<2..2^16-1>, ProtocolName<1..2^8-1> (RFC 7301 section 3.1)
                    if (len >= 2) {
                        int listEnd = Math.min(len, 2 + d.u16(0));
                        int p = 2;
                        while (p < listEnd) {
                            int n = d.u8(p);
                            if (p + 1 + n > listEnd) {
                                return fail("ALPN name length " + n + " exceeds its list", body + p);
                            }
                            alpn.add(d.latin1(p + 1, n));
                            p += 1 + n;
                        }
                    }
                }
                case TlsClientHello.EXT_SUPPORTED_VERSIONS -> {
                    // ClientHello: versions<2..254>; ServerHello: selected_version (RFC 8446 section 4.2.1)
                    if (client && len >= 1) {
                        int n = Math.min(d.u8(0), len - 1);
                        for (int p = 1; p + 2 <= 1 + n; p += 2) {
                            versions.add(d.u16(p));
                        }
                    } else if (!client && len == 2) {
                        versions.add(d.u16(0));
                    }
                }
                case TlsClientHello.EXT_SIGNATURE_ALGORITHMS -> {
                    if (len >= 2) {
                        int n = Math.min(d.u16(0), len - 2);
                        for (int p = 2; p + 2 <= 2 + n; p += 2) {
                            sigalgs.add(d.u16(p));
                        }
                    }
                }
                case TlsClientHello.EXT_ENCRYPT_THEN_MAC -> etm = true;
                default -> { }
            }
            at = body + len;
        }
        return new TlsExtensions(List.copyOf(types), sni, List.copyOf(alpn), List.copyOf(versions),
                List.copyOf(sigalgs), etm, null, 0);
    }

    private static TlsExtensions fail(String error, int offset) {
        return new TlsExtensions(List.of(), null, List.of(), List.of(), List.of(), false, error, offset);
    }
}
