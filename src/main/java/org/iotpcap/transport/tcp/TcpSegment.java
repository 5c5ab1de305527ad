package org.iotpcap.transport.tcp;

import org.iotpcap.bytes.Bytes;
import org.iotpcap.ip.IpPacket;

/**
 * One TCP segment header (RFC 9293 section 3.1), as a reusable cursor.
 *
 * <pre>
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * </pre>
 */
public final class TcpSegment {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    public IpPacket ip;
    public int srcPort;
    public int dstPort;
    public int seq;
    public int ack;
    public int flags;
    public int window;
    public byte[] payload;
    public int payloadOffset;
    public int payloadLength;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Parses the header at {@code packet}'s payload; a reason when it cannot, else null. */
    public String parse(IpPacket packet) {
        this.ip = packet;
        byte[] b = packet.payload;
        int off = packet.payloadOffset;
        int len = packet.payloadLength;
        if (len < 20) {
            return "tcp_too_short";
        }
        srcPort = Bytes.u16be(b, off);
        dstPort = Bytes.u16be(b, off + 2);
        seq = Bytes.i32be(b, off + 4);
        ack = Bytes.i32be(b, off + 8);
        int dataOffset = ((b[off + 12] & 0xf0) >>> 4) * 4;
        flags = b[off + 13] & 0xff;
        window = Bytes.u16be(b, off + 14);
        if (dataOffset < 20) {
            return "tcp_bad_header_length";
        }
        if (dataOffset > len) {
            return "tcp_header_cut";
        }
        payload = b;
        payloadOffset = off + dataOffset;
        payloadLength = len - dataOffset;
        return null;
    }
}
