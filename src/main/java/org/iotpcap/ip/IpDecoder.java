package org.iotpcap.ip;

import org.iotpcap.bytes.Bytes;

/**
 * Parses IPv4 (RFC 791, options skipped by IHL) and IPv6 (RFC 8200, extension headers walked up to the
 * transport header) into an {@link IpPacket}, without allocating. Checksums are not verified (tshark's
 * default). Trailing link padding beyond the declared length is dropped; a datagram the snap length cut is
 * marked {@link IpPacket#truncated}.
 */
public final class IpDecoder {
    private IpDecoder() {}

    static final int HOPOPTS = 0;
    static final int ROUTING = 43;
    static final int FRAGMENT = 44;
    static final int ESP = 50;
    static final int AH = 51;
    static final int NO_NEXT = 59;
    static final int DSTOPTS = 60;
    static final int MOBILITY = 135;
    static final int HIP = 139;
    static final int SHIM6 = 140;
    private static final int MAX_EXTENSION_HEADERS = 16;

    /** Why a header could not be read; null when it could. Stable snake_case reasons. */
    public static String decode(int etherType, byte[] b, int off, int len, IpPacket p) {
        p.fragment = false;
        p.moreFragments = false;
        p.fragmentOffset = 0;
        p.truncated = false;
        if (etherType == org.iotpcap.link.LinkDecoder.ETHERTYPE_IPV4) {
            return decodeV4(b, off, len, p);
        }
        return decodeV6(b, off, len, p);
    }

    /*
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |Version|  IHL  |Type of Service|          Total Length         |
     * |         Identification        |Flags|      Fragment Offset    |
     * |  Time to Live |    Protocol   |         Header Checksum       |
     * |                       Source Address                          |
     * |                    Destination Address                        |
     * |                    Options                    |    Padding    |
     */
    private static String decodeV4(byte[] b, int off, int len, IpPacket p) {
        if (len < 20) {
            return "ipv4_too_short";
        }
        int version = (b[off] & 0xf0) >>> 4;
        if (version != 4) {
            return "ipv4_bad_version";
        }
        int ihl = (b[off] & 0x0f) * 4;
        if (ihl < 20) {
            return "ipv4_bad_header_length";
        }
        if (ihl > len) {
            return "ipv4_header_cut";
        }
        int total = Bytes.u16be(b, off + 2);
        if (total < ihl) {
            // TSO-offloaded captures write 0 here; take what was captured, as tshark does
            if (total != 0) {
                return "ipv4_bad_total_length";
            }
            total = len;
        }
        p.version = 4;
        p.declaredLength = total;
        p.identification = Bytes.u16be(b, off + 4);
        int flagsFrag = Bytes.u16be(b, off + 6);
        p.moreFragments = (flagsFrag & 0x2000) != 0;
        p.fragmentOffset = (flagsFrag & 0x1fff) * 8;
        p.fragment = p.moreFragments || p.fragmentOffset != 0;
        p.ttl = b[off + 8] & 0xff;
        p.protocol = b[off + 9] & 0xff;
        p.srcHi = 0;
        p.srcLo = IpAddress.V4_MAPPED | Bytes.u32be(b, off + 12);
        p.dstHi = 0;
        p.dstLo = IpAddress.V4_MAPPED | Bytes.u32be(b, off + 16);
        p.payload = b;
        p.payloadOffset = off + ihl;
        if (total > len) {
            p.truncated = true;
            p.payloadLength = len - ihl;
        } else {
            p.payloadLength = total - ihl;
        }
        return null;
    }

    /*
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |Version| Traffic Class |           Flow Label                  |
     * |         Payload Length        |  Next Header  |   Hop Limit   |
     * |                    Source Address (128 bits)                  |
     * |                  Destination Address (128 bits)               |
     */
    private static String decodeV6(byte[] b, int off, int len, IpPacket p) {
        if (len < 40) {
            return "ipv6_too_short";
        }
        if ((b[off] & 0xf0) >>> 4 != 6) {
            return "ipv6_bad_version";
        }
        int payloadLen = Bytes.u16be(b, off + 4);
        int next = b[off + 6] & 0xff;
        p.version = 6;
        p.ttl = b[off + 7] & 0xff;
        p.srcHi = Bytes.i64be(b, off + 8);
        p.srcLo = Bytes.i64be(b, off + 16);
        p.dstHi = Bytes.i64be(b, off + 24);
        p.dstLo = Bytes.i64be(b, off + 32);
        int end;
        if (payloadLen == 0) {
            end = off + len; // jumbogram or TSO: take what was captured
            p.declaredLength = len;
        } else if (40 + payloadLen > len) {
            p.truncated = true;
            end = off + len;
            p.declaredLength = 40 + payloadLen;
        } else {
            end = off + 40 + payloadLen;
            p.declaredLength = 40 + payloadLen;
        }
        return walkV6(next, b, off + 40, end, p);
    }

    /**
     * Walks IPv6 extension headers from {@code q} to the transport header. Stops after a Fragment header of a
     * real fragment: what follows it is fragment data until the datagram is rebuilt (then walked again).
     */
    static String walkV6(int next, byte[] b, int q, int end, IpPacket p) {
        for (int i = 0; ; i++) {
            if (i > MAX_EXTENSION_HEADERS) {
                return "ipv6_too_many_extension_headers";
            }
            switch (next) {
                case HOPOPTS, ROUTING, DSTOPTS, MOBILITY, HIP, SHIM6 -> {
                    if (end - q < 8) {
                        return "ipv6_extension_header_cut";
                    }
                    int hlen = ((b[q + 1] & 0xff) + 1) * 8;
                    if (end - q < hlen) {
                        return "ipv6_extension_header_cut";
                    }
                    next = b[q] & 0xff;
                    q += hlen;
                }
                case AH -> {
                    if (end - q < 8) {
                        return "ipv6_extension_header_cut";
                    }
                    int hlen = ((b[q + 1] & 0xff) + 2) * 4;
                    if (end - q < hlen) {
                        return "ipv6_extension_header_cut";
                    }
                    next = b[q] & 0xff;
                    q += hlen;
                }
                case FRAGMENT -> {
                    // Next Header(1) Reserved(1) Fragment Offset(13 bits) Res(2) M(1) Identification(4)
                    if (end - q < 8) {
                        return "ipv6_extension_header_cut";
                    }
                    int offFlags = Bytes.u16be(b, q + 2);
                    p.fragmentOffset = offFlags & 0xfff8;
                    p.moreFragments = (offFlags & 1) != 0;
                    p.identification = Bytes.u32be(b, q + 4);
                    // an atomic fragment (offset 0, M clear) is a whole datagram (RFC 6946)
                    p.fragment = p.moreFragments || p.fragmentOffset != 0;
                    next = b[q] & 0xff;
                    q += 8;
                    if (p.fragment) {
                        p.protocol = next;
                        p.payload = b;
                        p.payloadOffset = q;
                        p.payloadLength = end - q;
                        return null;
                    }
                }
                default -> {
                    p.protocol = next;
                    p.payload = b;
                    p.payloadOffset = q;
                    p.payloadLength = end - q;
                    return null;
                }
            }
        }
    }
}
