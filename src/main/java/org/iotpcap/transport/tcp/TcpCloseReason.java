package org.iotpcap.transport.tcp;

/** How a TCP connection ended, as far as the capture shows. */
public enum TcpCloseReason {
    /** Still open (no close seen yet). */
    OPEN,
    /** FIN from both sides. */
    FIN,
    /** FIN from one side only, then the capture ended. */
    HALF_CLOSED,
    /** A RST ended it. */
    RST,
    /** The capture ended with the connection open. */
    CAPTURE_END,
    /** The same port pair started a new connection (new SYN) and this one was left behind. */
    REUSED,
    /** Evicted to keep within the connection limit. */
    EVICTED;

    public String label() {
        return org.iotpcap.bytes.EnumLabels.lower(this);
    }
}
