package org.iotpcap.ip;

/**
 * The network layer of one frame, as a reusable cursor: addresses as longs (see {@link IpAddress}),
 * the transport protocol and where its bytes are. Filled by {@link IpDecoder}; for a datagram rebuilt
 * from fragments, {@link #payload} is the reassembled array.
 */
public final class IpPacket {
    /** 4 or 6. */
    public int version;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    /** Transport protocol (IPv4 protocol, or IPv6's last next header): 6 TCP, 17 UDP, 1/58 ICMP. */
    public int protocol;
    public int ttl;
    /** IPv4 identification or IPv6 fragment header identification. */
    public long identification;
    public boolean fragment;
    public int fragmentOffset;
    public boolean moreFragments;
    /** True when the snap length cut the datagram: fewer payload bytes than the header declares. */
    public boolean truncated;
    /** The header's declared total length (IPv4 total length; IPv6 40 + payload length). */
    public int declaredLength;

    public byte[] payload;
    public int payloadOffset;
    public int payloadLength;

    public IpAddress src() {
        return new IpAddress(srcHi, srcLo, version == 4);
    }

    public IpAddress dst() {
        return new IpAddress(dstHi, dstLo, version == 4);
    }
}
