package org.iotpcap.transport.tcp;

import java.util.TreeMap;

/** One direction of a connection: where the stream stands and the out-of-order segments held for it. */
final class TcpHalf {
    boolean started;
    boolean synSeen;
    int isn;
    /** The base sequence number: the SYN's, or the first seen when the handshake was not captured. */
    int firstSeq;
    /** Sequence number of the next byte to deliver. */
    int nextSeq;
    boolean finSeen;
    long finFrame;
    int finSeq;
    /** Out-of-order segments, by how far past {@link #nextSeq}'s stream position they start. */
    final TreeMap<Long, Held> held = new TreeMap<>();
    long heldBytes;
    /** Stream position of {@link #nextSeq}: bytes delivered plus bytes of gaps. */
    long position;
    long delivered;
    long retransmissions;
    long gaps;
    long gapBytes;

    record Held(long position, byte[] data, long frame, long nanos) {}
}
