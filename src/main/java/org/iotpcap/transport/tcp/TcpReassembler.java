package org.iotpcap.transport.tcp;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.ip.IpAddress;
import org.iotpcap.transport.Endpoint;
import org.iotpcap.transport.FlowKey;
import org.iotpcap.transport.FlowTable;

/**
 * The TCP connection table: finds each segment's connection by its 4-tuple, numbers connections as tshark
 * numbers tcp.stream, ends them, and hands each segment's data, acknowledgment and FIN to the
 * {@link TcpDirection} it belongs to, which rebuilds that direction's byte stream.
 *
 * <ul>
 *   <li>The client is the side that sent the SYN (or received the SYN-ACK); when the handshake was not
 *       captured, the side with the higher port (on equal ports, the sender of the first segment).</li>
 *   <li>A SYN on a port pair whose connection was closed, or with a different initial sequence number,
 *       starts a new connection (as tshark starts a new tcp.stream); an open one it replaces ends as
 *       {@link TcpCloseReason#REUSED}.</li>
 *   <li>A connection ends on a RST, on a FIN from both sides once every byte before them was delivered, on
 *       eviction, or at the end of the capture; held bytes are delivered first, holes reported as gaps.
 *       Segments with data after the end are counted as retransmissions and not delivered.</li>
 *   <li>At most {@code Limits.tcpMaxConnections} connections are tracked: beyond that the least recently
 *       active is evicted ({@code tcp_connection_evicted}). Out-of-order bytes held count against
 *       {@code Limits.tcpMaxBufferedBytesPerDirection} and {@code Limits.tcpMaxBufferedBytesTotal}
 *       ({@code tcp_buffer_limit}, then {@code tcp_gap}).</li>
 * </ul>
 */
public final class TcpReassembler {
    private final Limits limits;
    private final Diagnostics diagnostics;
    private final TcpStreamListener listener;
    private final FlowTable<TcpConnection> connections;
    private final FlowKey probe = new FlowKey();
    private final TcpHeldBytes held;
    private final DirectionOutput out = new DirectionOutput();
    private long firstIndex;
    private long nextIndex;
    private long evicted;
    private long retransmissions;
    private long gaps;
    private TcpConnection current;

    public TcpReassembler(Limits limits, Diagnostics diagnostics, TcpStreamListener listener) {
        this.limits = limits;
        this.diagnostics = diagnostics;
        this.listener = listener;
        this.connections = new FlowTable<>();
        this.held = new TcpHeldBytes(limits.tcpMaxBufferedBytesPerDirection(), limits.tcpMaxBufferedBytesTotal());
    }

    /**
     * Numbers connections from {@code first} on instead of 0 (before the first segment): the offset that keeps
     * stream numbers unique when several captures are loaded into one dataset.
     */
    public void firstIndex(long first) {
        if (nextIndex != firstIndex) {
            throw new IllegalStateException("connections already numbered");
        }
        this.firstIndex = first;
        this.nextIndex = first;
    }

    /** Connections seen so far (tshark's count of tcp.stream values). */
    public long connectionCount() {
        return nextIndex - firstIndex;
    }

    public long retransmissions() {
        return retransmissions;
    }

    public long gaps() {
        return gaps;
    }

    public long evicted() {
        return evicted;
    }

    /** The connection of the last segment processed. */
    public TcpConnection current() {
        return current;
    }

    /** Processes one segment of frame {@code frame}. */
    public void segment(TcpSegment s, long frame, long nanos) {
        var ip = s.ip;
        probe.set(6, ip.srcHi, ip.srcLo, s.srcPort, ip.dstHi, ip.dstLo, s.dstPort);
        TcpConnection c = connections.get(probe);
        boolean pureSyn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
        if (c != null && pureSyn) {
            // tshark starts a new tcp.stream for a SYN whose sequence number differs from the base sequence
            // number of that direction (the SYN's, or the first seen when the capture began mid-connection).
            TcpDirection d = c.half(isClient(c, ip.srcHi, ip.srcLo, s.srcPort));
            if (d.started() && d.firstSeq() != s.seq) {
                if (!c.closed) {
                    finish(c, TcpCloseReason.REUSED, frame);
                }
                connections.remove(probe);
                c = null;
            }
        }
        if (c == null) {
            c = open(s, frame, nanos);
            connections.put(probe, c);
            if (connections.size() > limits.tcpMaxConnections()) {
                evictOldest(frame);
            }
        }
        c.lastFrame = frame;
        c.lastNanos = nanos;
        current = c;
        boolean fromClient = isClient(c, ip.srcHi, ip.srcLo, s.srcPort);
        TcpDirection d = c.half(fromClient);
        TcpDirection other = c.half(!fromClient);

        int dataSeq = d.begin(s.seq, s.has(TcpSegment.SYN));
        if (c.closed) {
            // after FIN from both sides or RST: late duplicates, nothing more for the listener
            if (s.payloadLength > 0) {
                d.late(out.aim(c, fromClient));
            }
            return;
        }
        if (s.has(TcpSegment.ACK) && other.started()) {
            other.acknowledged(s.ack, frame, out.aim(c, !fromClient));
        }
        if (s.payloadLength > 0) {
            d.data(dataSeq, s.payload, s.payloadOffset, s.payloadLength, frame, nanos, out.aim(c, fromClient));
        }
        if (s.has(TcpSegment.FIN)) {
            d.fin(dataSeq + s.payloadLength, frame);
        }
        if (s.has(TcpSegment.RST)) {
            if (!c.rstSeen) {
                c.rstFrame = frame;
            }
            c.rstSeen = true;
            if (!c.closed) {
                finish(c, TcpCloseReason.RST, frame);
            }
        } else if (!c.closed && c.fromClient.complete() && c.fromServer.complete()) {
            finish(c, TcpCloseReason.FIN, frame);
        }
    }

    private TcpConnection open(TcpSegment s, long frame, long nanos) {
        var ip = s.ip;
        Endpoint src = new Endpoint(ip.src(), s.srcPort);
        Endpoint dst = new Endpoint(ip.dst(), s.dstPort);
        boolean syn = s.has(TcpSegment.SYN);
        boolean ack = s.has(TcpSegment.ACK);
        TcpConnection c;
        if (syn && !ack) {
            c = new TcpConnection(nextIndex++, src, dst, true, frame, nanos, held);
        } else if (syn) {
            c = new TcpConnection(nextIndex++, dst, src, true, frame, nanos, held);
        } else if (s.srcPort > s.dstPort || (s.srcPort == s.dstPort)) {
            c = new TcpConnection(nextIndex++, src, dst, false, frame, nanos, held);
        } else {
            c = new TcpConnection(nextIndex++, dst, src, false, frame, nanos, held);
        }
        listener.onOpen(c);
        return c;
    }

    private static boolean isClient(TcpConnection c, long hi, long lo, int port) {
        IpAddress a = c.client.address();
        return c.client.port() == port && a.lo() == lo && a.hi() == hi;
    }

    /**
     * The listener, the diagnostics and the counters as one direction of one connection reaches them. One
     * instance serves every direction: {@link #aim} points it at the direction about to be fed, so feeding a
     * direction allocates nothing.
     */
    private final class DirectionOutput implements TcpDirection.Output {
        private TcpConnection connection;
        private boolean fromClient;

        DirectionOutput aim(TcpConnection c, boolean clientSide) {
            this.connection = c;
            this.fromClient = clientSide;
            return this;
        }

        @Override
        public void data(byte[] b, int off, int len, long frame, long nanos) {
            listener.onData(connection, fromClient, b, off, len, frame, nanos);
        }

        @Override
        public void gap(long bytes, long frame, String why) {
            gaps++;
            diagnostics.report(frame, Layer.TCP, "tcp_gap", bytes + " bytes missing from " + connection
                    + (fromClient ? " (client to server)" : " (server to client)") + ": " + why);
            listener.onGap(connection, fromClient, bytes, frame);
        }

        @Override
        public void bufferLimit(long frame) {
            diagnostics.report(frame, Layer.TCP, "tcp_buffer_limit",
                    "out-of-order bytes of " + connection + " exceed the buffer limit ("
                            + limits.tcpMaxBufferedBytesPerDirection() + " per direction, "
                            + limits.tcpMaxBufferedBytesTotal() + " in all); skipping the hole");
        }

        @Override
        public void retransmission() {
            retransmissions++;
        }
    }

    /** Delivers what is held (reporting holes as gaps) and closes the connection. */
    private void finish(TcpConnection c, TcpCloseReason reason, long frame) {
        c.fromClient.flush(frame, out.aim(c, true));
        c.fromServer.flush(frame, out.aim(c, false));
        c.closed = true;
        c.closeReason = reason;
        listener.onClose(c);
    }

    private void evictOldest(long frame) {
        TcpConnection oldest = connections.removeEldest();
        evicted++;
        if (!oldest.closed) {
            diagnostics.report(frame, Layer.TCP, "tcp_connection_evicted", oldest + " evicted: connections exceed limit ("
                    + limits.tcpMaxConnections() + ")");
            finish(oldest, TcpCloseReason.EVICTED, frame);
        }
    }

    /** Ends the capture: every open connection is flushed and closed. */
    public void finish(long lastFrame) {
        List<TcpConnection> open = new ArrayList<>();
        for (TcpConnection c : connections.values()) {
            if (!c.closed) {
                open.add(c);
            }
        }
        open.sort((a, b) -> Long.compare(a.index, b.index));
        for (TcpConnection c : open) {
            TcpCloseReason reason = c.fromClient.finSeen() || c.fromServer.finSeen()
                    ? TcpCloseReason.HALF_CLOSED : TcpCloseReason.CAPTURE_END;
            finish(c, reason, lastFrame);
        }
        connections.clear();
    }
}
