package org.iotpcap.capture;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Test-only builders of link, IP, UDP and TCP headers, laid out field by field as RFC 791, RFC 8200, RFC 768
 * and RFC 9293 draw them. Checksums are computed so that tshark, fed the same bytes, finds nothing to flag.
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

    public static byte[] addr(String text) {
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** Ethernet II: destination, source (fixed test MACs), EtherType, payload. */
    public static byte[] ethernet(int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) etherType).put(payload);
        return b.array();
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

    /** IPv4 header (with options, a multiple of 4 bytes) and payload; flagsFragment is the 16-bit field. */
    public static byte[] ipv4(String src, String dst, int protocol, int id, int flagsFragment, byte[] options,
                              byte[] payload) {
        int ihl = 20 + options.length;
        ByteBuffer b = ByteBuffer.allocate(ihl + payload.length);
        b.put((byte) (0x40 | ihl / 4)).put((byte) 0).putShort((short) (ihl + payload.length))
                .putShort((short) id).putShort((short) flagsFragment).put((byte) 64).put((byte) protocol)
                .putShort((short) 0).put(addr(src)).put(addr(dst)).put(options);
        byte[] a = b.array();
        int sum = checksum(a, 0, ihl, 0);
        a[10] = (byte) (sum >>> 8);
        a[11] = (byte) sum;
        System.arraycopy(payload, 0, a, ihl, payload.length);
        return a;
    }

    public static byte[] ipv4(String src, String dst, int protocol, byte[] payload) {
        return ipv4(src, dst, protocol, 1, 0x4000, new byte[0], payload);
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

    /** UDP header and payload (checksum left 0 for IPv4, where it is optional). */
    public static byte[] udp(int srcPort, int dstPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
                .put(payload);
        return b.array();
    }

    /** TCP header of 20 bytes (no options) and payload; checksum over the IPv4 pseudo-header. */
    public static byte[] tcp(String src, String dst, int srcPort, int dstPort, long seq, long ack, int flags,
                             byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
                .put(payload);
        byte[] a = b.array();
        byte[] s = addr(src);
        byte[] d = addr(dst);
        if (s.length == 4) {
            int pseudo = sum16(s) + sum16(d) + TCP + a.length;
            int sum = checksum(a, 0, a.length, pseudo);
            a[16] = (byte) (sum >>> 8);
            a[17] = (byte) sum;
        }
        return a;
    }

    /** An IPv4 TCP segment in an Ethernet frame. */
    public static byte[] ethTcp(String src, int srcPort, String dst, int dstPort, long seq, long ack, int flags,
                                byte[] payload) {
        return ethernet(0x0800, ipv4(src, dst, TCP, tcp(src, dst, srcPort, dstPort, seq, ack, flags, payload)));
    }

    private static int sum16(byte[] a) {
        int s = 0;
        for (int i = 0; i + 1 < a.length; i += 2) {
            s += (a[i] & 0xff) << 8 | (a[i + 1] & 0xff);
        }
        return s;
    }

    /** RFC 1071 one's-complement checksum of a range plus an initial (pseudo-header) sum. */
    static int checksum(byte[] a, int off, int len, int initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = a[off + i] & 0xff;
            int lo = i + 1 < len ? a[off + i + 1] & 0xff : 0;
            s += hi << 8 | lo;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }
}
