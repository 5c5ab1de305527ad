package org.iotpcap.transport.tcp;

/**
 * The out-of-order bytes that every direction of every connection holds, against the two caps of
 * {@link org.iotpcap.bytes.Limits}: {@code tcpMaxBufferedBytesPerDirection} for one direction and
 * {@code tcpMaxBufferedBytesTotal} for all of them together. One instance is shared by all the directions of
 * one {@link TcpReassembler}; each {@link TcpDirection} adds what it holds and takes away what it releases.
 */
final class TcpHeldBytes {
    private final long perDirection;
    private final long total;
    private long held;

    TcpHeldBytes(long perDirection, long total) {
        this.perDirection = perDirection;
        this.total = total;
    }

    /** True when a direction holding {@code directionHeld} bytes may hold {@code more} besides, within both caps. */
    boolean fits(long directionHeld, long more) {
        return directionHeld + more <= perDirection && held + more <= total;
    }

    void add(long bytes) {
        held += bytes;
    }

    /** Bytes held now, all directions together. */
    long held() {
        return held;
    }
}
