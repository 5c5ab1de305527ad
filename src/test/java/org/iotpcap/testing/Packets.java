package org.iotpcap.testing;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Test-only builders of link, IP, UDP and TCP headers, laid out field by field as IEEE 802.3 and 802.1Q,
 * Linux "cooked" capture (tcpdump's LINKTYPE_LINUX_SLL and LINKTYPE_LINUX_SLL2), RFC 791, RFC 8200, RFC 768
 * and RFC 9293 draw them. This is the one home of those layouts and of the Internet checksum (RFC 1071) in
 * the tests: {@link CaptureBytes} puts the frames into pcap and pcapng files, {@link RawPcap} records whole
 * conversations with them. Checksums are computed where noted so that tshark, fed the same bytes, finds
 * nothing to flag.
 */
public final class Packets {
    private Packets() {}

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    /** An IPv4 or IPv6 address literal as its 4 or 16 bytes. */
    public static byte[] addr(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Octets written as ints (their low 8 bits), for inline packets: {@code octets(0x30, 0x02, 0x00, 0x01)}. */
    public static byte[] octets(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /**
     * Bytes from ints (one octet each), strings (their UTF-8 bytes, no length prefix) and byte arrays, for
     * writing packets inline: {@code bytes(0x10, 0x0C, "MQTT")}.
     */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o : parts) {
            if (o instanceof Integer i) {
                out.write(i);
            } else if (o instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (o instanceof byte[] b) {
                out.writeBytes(b);
            } else {
                throw new IllegalArgumentException(String.valueOf(o));
            }
        }
        return out.toByteArray();
    }

    /** Ethernet II: destination, source (fixed test MACs), EtherType, payload. */
    public static byte[] ethernet(int etherType, byte[] payload) {
        return ethernetTagged(new int[0][], etherType, payload);
    }

    /** Ethernet with 802.1Q/802.1ad tags: each tag is (TPID, VLAN id), outermost first. */
    public static byte[] ethernetTagged(int[][] tags, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * tags.length + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1});
        for (int[] t : tags) {
            b.putShort((short) t[0]).putShort((short) t[1]);
        }
        b.putShort((short) etherType).put(payload);
        return b.array();
    }

    /**
     * Linux cooked capture v1 (link type 113), 16 bytes: packet type 0 (to us), ARPHRD_ETHER (1), address
     * length 6, the address padded to 8, protocol (an EtherType).
     */
    public static byte[] sll(int protocol, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0})
                .putShort((short) protocol).put(payload);
        return b.array();
    }

    /**
     * Linux cooked capture v2 (link type 276), 20 bytes: protocol (an EtherType), reserved, interface index,
     * ARPHRD_ETHER (1), packet type 0, address length 6, the address padded to 8.
     */
    public static byte[] sll2(int protocol, int interfaceIndex, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) protocol).putShort((short) 0).putInt(interfaceIndex).putShort((short) 1).put((byte) 0)
                .put((byte) 6).put(new byte[] {2, 0, 0, 0, 0, 1, 0, 0}).put(payload);
        return b.array();
    }

    /** IPv4 header (with options, a multiple of 4 bytes) and payload; flagsFragment is the 16-bit field. */
    public static byte[] ipv4(String src, String dst, int protocol, int id, int flagsFragment, byte[] options,
                              byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + options.length + payload.length);
        putIpv4(b, addr(src), addr(dst), protocol, id, flagsFragment, options, payload.length);
        b.put(payload);
        return b.array();
    }

    /** IPv4 with identification 1, Don't Fragment, no options. */
    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 1, 0x4000, new byte[0], payload);
    }

    /**
     * Writes an IPv4 header (RFC 791 3.1) at {@code out}'s position, TTL 64 and the header checksum computed,
     * for a payload of {@code payloadLength} bytes that the caller writes after it.
     */
    public static void putIpv4(ByteBuffer out, byte[] src, byte[] dst, int protocol, int id, int flagsFragment,
                               byte[] options, int payloadLength) {
        int start = out.position();
        int ihl = 20 + options.length;
        out.put((byte) (0x40 | ihl / 4)).put((byte) 0).putShort((short) (ihl + payloadLength))
                .putShort((short) id).putShort((short) flagsFragment).put((byte) 64).put((byte) protocol)
                .putShort((short) 0).put(src).put(dst).put(options);
        out.putShort(start + 10, (short) checksum(out, start, ihl, 0));
    }

    /** IPv6 header; {@code afterHeader} holds any extension headers then the upper-layer data. */
    public static byte[] ipv6(String src, String dst, int nextHeader, byte[] afterHeader) {
        ByteBuffer b = ByteBuffer.allocate(40 + afterHeader.length);
        b.putInt(0x60000000).putShort((short) afterHeader.length).put((byte) nextHeader).put((byte) 64)
                .put(addr(src)).put(addr(dst)).put(afterHeader);
        return b.array();
    }

    /** An IPv6 options header (hop-by-hop or destination): next header, length, PadN filling 8*(len+1). */
    public static byte[] ipv6Options(int nextHeader, int lengthUnits) {
        byte[] h = new byte[8 * (lengthUnits + 1)];
        h[0] = (byte) nextHeader;
        h[1] = (byte) lengthUnits;
        h[2] = 1; // PadN
        h[3] = (byte) (h.length - 4);
        return h;
    }

    /** IPv6 Fragment header: next header, offset in bytes (multiple of 8), M flag, identification. */
    public static byte[] ipv6Fragment(int nextHeader, int offsetBytes, boolean more, int id) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) nextHeader).put((byte) 0).putShort((short) (offsetBytes | (more ? 1 : 0))).putInt(id);
        return b.array();
    }

    /** UDP header and payload, checksum 0 ("not computed", RFC 768; allowed over IPv4 only). */
    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    /**
     * UDP header and payload with the checksum over the pseudo-header of {@code src} and {@code dst} (IPv4
     * RFC 768, IPv6 RFC 8200 8.1); a computed 0 is sent as 0xFFFF.
     */
    public static byte[] udp(String src, String dst, int srcPort, int dstPort, byte[] payload) {
        byte[] a = udp(srcPort, dstPort, payload);
        int sum = checksum(ByteBuffer.wrap(a), 0, a.length, pseudoHeaderSum(addr(src), addr(dst), UDP, a.length));
        ByteBuffer.wrap(a).putShort(6, (short) (sum == 0 ? 0xFFFF : sum));
        return a;
    }

    /** TCP header of 20 bytes (no options) and payload; checksum over the IPv4 or IPv6 pseudo-header. */
    public static byte[] tcp(String src, String dst, int srcPort, int dstPort, long seq, long ack, int flags,
                             byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        putTcp(b, srcPort, dstPort, seq, ack, flags);
        b.put(payload);
        b.putShort(16, (short) checksum(b, 0, b.capacity(), pseudoHeaderSum(addr(src), addr(dst), TCP, b.capacity())));
        return b.array();
    }

    /**
     * Writes a 20-byte TCP header (RFC 9293 3.1: data offset 5, window 65535, no options) at {@code out}'s
     * position with the checksum left 0; {@link #tcp} fills it in.
     */
    public static void putTcp(ByteBuffer out, int srcPort, int dstPort, long seq, long ack, int flags) {
        out.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
    }

    /** An IPv4 TCP segment in an Ethernet frame. */
    public static byte[] ethTcp(String src, int srcPort, String dst, int dstPort, long seq, long ack, int flags,
                                byte[] payload) {
        return ethernet(0x0800, ipv4(src, dst, TCP, tcp(src, dst, srcPort, dstPort, seq, ack, flags, payload)));
    }

    /**
     * The pseudo-header's contribution to a TCP or UDP checksum: the addresses, the protocol and the
     * upper-layer length (RFC 9293 3.1 for IPv4, RFC 8200 8.1 for IPv6), as 16-bit words summed.
     */
    static long pseudoHeaderSum(byte[] src, byte[] dst, int protocol, int length) {
        ByteBuffer p = ByteBuffer.allocate(src.length + dst.length + 8);
        p.put(src).put(dst).putInt(length).putInt(protocol);
        return sum16(p, 0, p.capacity());
    }

    /** RFC 1071 one's-complement checksum of {@code len} bytes from {@code off}, plus an initial (pseudo-header) sum. */
    public static int checksum(ByteBuffer b, int off, int len, long initial) {
        long s = initial + sum16(b, off, len);
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }

    /** 16-bit big-endian words summed without folding; an odd last byte is padded with a zero byte. */
    private static long sum16(ByteBuffer b, int off, int len) {
        long s = 0;
        for (int i = 0; i < len; i += 2) {
            int hi = b.get(off + i) & 0xff;
            int lo = i + 1 < len ? b.get(off + i + 1) & 0xff : 0;
            s += hi << 8 | lo;
        }
        return s;
    }
}
