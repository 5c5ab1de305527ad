package org.iotpcap.transport.udp;

import org.iotpcap.ip.IpPacket;
import org.iotpcap.transport.Endpoint;

/**
 * One UDP datagram (RFC 768), as a reusable cursor handed to a {@link UdpListener}: valid only during the
 * call. The payload is the datagram's declared length (link padding dropped), or what was captured of it.
 */
public final class UdpDatagram {
    public IpPacket ip;
    public int srcPort;
    public int dstPort;
    public byte[] payload;
    public int payloadOffset;
    public int payloadLength;
    /** The UDP length field minus the header: what the sender sent (at least {@link #payloadLength}). */
    public int declaredPayloadLength;
    public long frame;
    public long timestampNanos;
    /** Index of the flow (unordered endpoint pair), numbered from 0 in order of first appearance. */
    public long flowIndex;

    public Endpoint source() {
        return new Endpoint(ip.src(), srcPort);
    }

    public Endpoint destination() {
        return new Endpoint(ip.dst(), dstPort);
    }

    /** Parses the UDP header at {@code ip}'s payload; a reason when it cannot, else null. */
    public String parse(IpPacket packet) {
        this.ip = packet;
        byte[] b = packet.payload;
        int off = packet.payloadOffset;
        int len = packet.payloadLength;
        if (len < 8) {
            return "udp_too_short";
        }
        srcPort = org.iotpcap.bytes.Bytes.u16be(b, off);
        dstPort = org.iotpcap.bytes.Bytes.u16be(b, off + 2);
        int ulen = org.iotpcap.bytes.Bytes.u16be(b, off + 4);
        if (ulen == 0 && packet.version == 6) {
            ulen = len; // RFC 2675 jumbogram
        }
        if (ulen < 8) {
            return "udp_bad_length";
        }
        payload = b;
        payloadOffset = off + 8;
        declaredPayloadLength = ulen - 8;
        if (ulen > len) {
            if (!packet.truncated) {
                return "udp_length_exceeds_ip";
            }
            payloadLength = len - 8;
        } else {
            payloadLength = ulen - 8;
        }
        return null;
    }
}
