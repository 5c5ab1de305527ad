package org.iotpcap.transport.tcp;

import org.iotpcap.transport.Endpoint;

/**
 * A TCP connection as the capture shows it: its endpoints (client = the side that sent the SYN, or when the
 * handshake was not captured, the side with the higher port), its two rebuilt directions and how it ended.
 * Listeners read it; only the {@link TcpReassembler} changes it. A listener may keep its own per-connection
 * state in {@link #attachment}.
 */
public final class TcpConnection {
    final long index;
    final Endpoint client;
    final Endpoint server;
    final boolean handshakeSeen;
    final long firstFrame;
    final long firstNanos;
    long lastFrame;
    long lastNanos;
    final TcpDirection fromClient;
    final TcpDirection fromServer;
    TcpCloseReason closeReason = TcpCloseReason.OPEN;
    boolean rstSeen;
    long rstFrame;
    boolean closed;
    /** Free for the listener: e.g. a protocol framer for this connection. */
    public Object attachment;

    TcpConnection(long index, Endpoint client, Endpoint server, boolean handshakeSeen, long frame, long nanos,
                  TcpHeldBytes held) {
        this.index = index;
        this.client = client;
        this.server = server;
        this.handshakeSeen = handshakeSeen;
        this.firstFrame = frame;
        this.firstNanos = nanos;
        this.lastFrame = frame;
        this.lastNanos = nanos;
        this.fromClient = new TcpDirection(held);
        this.fromServer = new TcpDirection(held);
    }

    /** Numbered from 0 in order of first appearance, as tshark numbers tcp.stream. */
    public long index() {
        return index;
    }

    public Endpoint client() {
        return client;
    }

    public Endpoint server() {
        return server;
    }

    /** True when the client was identified from a SYN or SYN-ACK, false when guessed from the ports. */
    public boolean handshakeSeen() {
        return handshakeSeen;
    }

    public long firstFrame() {
        return firstFrame;
    }

    public long firstNanos() {
        return firstNanos;
    }

    public long lastFrame() {
        return lastFrame;
    }

    public long lastNanos() {
        return lastNanos;
    }

    public TcpCloseReason closeReason() {
        return closeReason;
    }

    /** Stream bytes delivered in one direction. */
    public long bytes(boolean fromClientSide) {
        return half(fromClientSide).delivered();
    }

    /** Segments (or parts of them) that repeated bytes already seen in one direction. */
    public long retransmissions(boolean fromClientSide) {
        return half(fromClientSide).retransmissions();
    }

    /** Holes in one direction (bytes never seen). */
    public long gaps(boolean fromClientSide) {
        return half(fromClientSide).gaps();
    }

    public long gapBytes(boolean fromClientSide) {
        return half(fromClientSide).gapBytes();
    }

    /** True when a FIN was seen from that side. */
    public boolean finSeen(boolean fromClientSide) {
        return half(fromClientSide).finSeen();
    }

    public boolean rstSeen() {
        return rstSeen;
    }

    /** Frame of the first FIN from that side, 0 when none was seen. */
    public long finFrame(boolean fromClientSide) {
        return half(fromClientSide).finFrame();
    }

    /** Frame of the first RST, 0 when none was seen. */
    public long rstFrame() {
        return rstFrame;
    }

    /**
     * Frame where the connection began to end: the first FIN from either side or RST, 0 while neither was seen.
     */
    public long endingFrame() {
        long f = 0;
        for (long x : new long[] {fromClient.finFrame(), fromServer.finFrame(), rstFrame}) {
            if (x > 0 && (f == 0 || x < f)) {
                f = x;
            }
        }
        return f;
    }

    TcpDirection half(boolean fromClientSide) {
        return fromClientSide ? fromClient : fromServer;
    }

    @Override
    public String toString() {
        return "tcp#" + index + " " + client + " -> " + server;
    }
}
