package org.iotpcap.transport.tcp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.ip.IpAddress;
import org.iotpcap.transport.Endpoint;
import org.iotpcap.transport.FlowKey;

/**
 * Rebuilds both byte streams of every TCP connection, keyed by its 4-tuple.
 *
 * <ul>
 *   <li>In-order bytes go to the listener straight from the frame's buffer (no copy); a segment ahead of
 *       the stream is copied and held until the bytes before it arrive.</li>
 *   <li>Retransmissions and overlaps: bytes already delivered are dropped (the first copy wins) and the
 *       segment counted as a retransmission.</li>
 *   <li>Sequence numbers compare modulo 2^32 (RFC 9293 section 3.4), so streams cross the wrap.</li>
 *   <li>A connection already open when the capture starts begins at the first sequence number seen.</li>
 *   <li>Missing bytes: when the peer acknowledges bytes the capture never showed, when held bytes exceed a
 *       buffer limit, or when the connection ends, the hole is reported as a gap and the stream goes on.</li>
 *   <li>A SYN on a port pair whose connection was closed, or with a different initial sequence number,
 *       starts a new connection (as tshark starts a new tcp.stream).</li>
 * </ul>
 */
public final class TcpReassembler {
    private final Limits limits;
    private final Diagnostics diagnostics;
    private final TcpStreamListener listener;
    private final LinkedHashMap<FlowKey, TcpConnection> connections;
    private final FlowKey probe = new FlowKey();
    private long nextIndex;
    private long heldBytesTotal;
    private long evicted;
    private long retransmissions;
    private long gaps;
    private TcpConnection current;

    public TcpReassembler(Limits limits, Diagnostics diagnostics, TcpStreamListener listener) {
        this.limits = limits;
        this.diagnostics = diagnostics;
        this.listener = listener;
        this.connections = new LinkedHashMap<>(1024, 0.75f, true);
    }

    /** Connections seen so far (tshark's count of tcp.stream values). */
    public long connectionCount() {
        return nextIndex;
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
        boolean srcFirst = probe.set(6, ip.srcHi, ip.srcLo, s.srcPort, ip.dstHi, ip.dstLo, s.dstPort);
        TcpConnection c = connections.get(probe);
        boolean pureSyn = s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK);
        if (c != null && pureSyn) {
            // tshark starts a new tcp.stream for a SYN whose sequence number differs from the base sequence
            // number of that direction (the SYN's, or the first seen when the capture began mid-connection).
            TcpHalf h = c.half(isClient(c, ip.srcHi, ip.srcLo, s.srcPort));
            if (h.started && h.firstSeq != s.seq) {
                if (!c.closed) {
                    finish(c, TcpCloseReason.REUSED, frame);
                }
                connections.remove(probe);
                c = null;
            }
        }
        if (c == null) {
            c = open(s, frame, nanos);
            connections.put(probe.copy(), c);
            if (connections.size() > limits.tcpMaxConnections()) {
                evictOldest(frame);
            }
        }
        c.lastFrame = frame;
        c.lastNanos = nanos;
        current = c;
        boolean fromClient = isClient(c, ip.srcHi, ip.srcLo, s.srcPort);
        TcpHalf h = c.half(fromClient);
        TcpHalf other = c.half(!fromClient);

        int dataSeq = s.seq;
        if (s.has(TcpSegment.SYN)) {
            if (!h.synSeen) {
                h.synSeen = true;
                h.isn = s.seq;
                if (!h.started) {
                    h.started = true;
                    h.firstSeq = s.seq;
                    h.nextSeq = s.seq + 1;
                }
            }
            dataSeq = s.seq + 1;
        }
        if (!h.started) {
            h.started = true;
            h.firstSeq = dataSeq;
            h.nextSeq = dataSeq;
        }
        if (c.closed) {
            // after FIN from both sides or RST: late duplicates, nothing more for the listener
            if (s.payloadLength > 0) {
                h.retransmissions++;
                retransmissions++;
            }
            return;
        }
        if (s.has(TcpSegment.ACK) && other.started) {
            acknowledged(c, !fromClient, other, s.ack, frame);
        }
        if (s.payloadLength > 0) {
            data(c, fromClient, h, dataSeq, s.payload, s.payloadOffset, s.payloadLength, frame, nanos);
        }
        if (s.has(TcpSegment.FIN)) {
            if (!h.finSeen) {
                h.finFrame = frame;
            }
            h.finSeen = true;
            h.finSeq = dataSeq + s.payloadLength;
        }
        if (s.has(TcpSegment.RST)) {
            if (!c.rstSeen) {
                c.rstFrame = frame;
            }
            c.rstSeen = true;
            if (!c.closed) {
                finish(c, TcpCloseReason.RST, frame);
            }
        } else if (!c.closed && c.fromClient.finSeen && c.fromServer.finSeen
                && c.fromClient.nextSeq == c.fromClient.finSeq && c.fromServer.nextSeq == c.fromServer.finSeq) {
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
            c = new TcpConnection(nextIndex++, src, dst, true, frame, nanos);
        } else if (syn) {
            c = new TcpConnection(nextIndex++, dst, src, true, frame, nanos);
        } else if (s.srcPort > s.dstPort || (s.srcPort == s.dstPort)) {
            c = new TcpConnection(nextIndex++, src, dst, false, frame, nanos);
        } else {
            c = new TcpConnection(nextIndex++, dst, src, false, frame, nanos);
        }
        listener.onOpen(c);
        return c;
    }

    private static boolean isClient(TcpConnection c, long hi, long lo, int port) {
        IpAddress a = c.client.address();
        return c.client.port() == port && a.lo() == lo && a.hi() == hi;
    }

    /** The peer acknowledged up to {@code ack}: bytes before it that the capture never showed are a gap. */
    private void acknowledged(TcpConnection c, boolean fromClient, TcpHalf h, int ack, long frame) {
        int end = h.finSeen && ack == h.finSeq + 1 ? h.finSeq : ack;
        int missing = end - h.nextSeq;
        if (missing <= 0) {
            return;
        }
        // Held segments may fill part of the acknowledged range: the gap runs to the first of them.
        if (!h.held.isEmpty()) {
            long firstHeld = h.held.firstKey() - h.position;
            if (firstHeld < missing) {
                missing = (int) firstHeld;
            }
            if (missing <= 0) {
                return;
            }
        }
        gap(c, fromClient, h, missing, frame, "acknowledged by the peer but never captured");
        drain(c, fromClient, h);
    }

    private void data(TcpConnection c, boolean fromClient, TcpHalf h, int seq, byte[] b, int off, int len,
                      long frame, long nanos) {
        int diff = seq - h.nextSeq;
        if (diff <= 0) {
            // long: a segment exactly 2^31 away gives diff = Integer.MIN_VALUE, whose int negation is itself
            long overlap = -(long) diff;
            if (overlap >= len || overlap > Integer.MAX_VALUE / 2) {
                h.retransmissions++;
                retransmissions++;
                return;
            }
            if (overlap > 0) {
                h.retransmissions++;
                retransmissions++;
            }
            deliver(c, fromClient, h, b, off + (int) overlap, len - (int) overlap, frame, nanos);
            drain(c, fromClient, h);
            return;
        }
        long pos = h.position + diff;
        TcpHalf.Held same = h.held.get(pos);
        if (same != null && same.data().length >= len) {
            h.retransmissions++;
            retransmissions++;
            return;
        }
        while (h.heldBytes + len > limits.tcpMaxBufferedBytesPerDirection()
                || heldBytesTotal + len > limits.tcpMaxBufferedBytesTotal()) {
            if (h.held.isEmpty()) {
                break;
            }
            diagnostics.report(frame, Layer.TCP, "tcp_buffer_limit",
                    "out-of-order bytes of " + c + " exceed the buffer limit ("
                            + limits.tcpMaxBufferedBytesPerDirection() + " per direction, "
                            + limits.tcpMaxBufferedBytesTotal() + " in all); skipping the hole");
            skipToFirstHeld(c, fromClient, h, frame);
            diff = seq - h.nextSeq;
            if (diff <= 0) {
                data(c, fromClient, h, seq, b, off, len, frame, nanos);
                return;
            }
            pos = h.position + diff;
        }
        if (h.heldBytes + len > limits.tcpMaxBufferedBytesPerDirection()
                || heldBytesTotal + len > limits.tcpMaxBufferedBytesTotal()) {
            // nothing held and still too big: give up on the hole before it
            gap(c, fromClient, h, diff, frame, "out-of-order segment larger than the buffer limit");
            deliver(c, fromClient, h, b, off, len, frame, nanos);
            return;
        }
        hold(h, pos, b, off, len, frame, nanos);
    }

    /**
     * Holds the bytes [pos, pos + len) of an out-of-order segment, except those that held segments already
     * cover: the first copy of a byte wins, as it does for bytes already delivered. Held segments therefore
     * never overlap one another. (Before, a later segment overlapping held ones was held whole and, being
     * drained first when it started earlier, overwrote the first copy.) A segment that repeats held bytes is
     * counted as a retransmission.
     */
    private void hold(TcpHalf h, long pos, byte[] b, int off, int len, long frame, long nanos) {
        long end = pos + len;
        long at = pos;
        boolean overlapped = false;
        Map.Entry<Long, TcpHalf.Held> before = h.held.floorEntry(pos);
        if (before != null && before.getKey() + before.getValue().data().length > pos) {
            at = Math.min(end, before.getKey() + before.getValue().data().length);
            overlapped = true;
        }
        while (at < end) {
            Map.Entry<Long, TcpHalf.Held> next = h.held.ceilingEntry(at);
            long pieceEnd = next == null ? end : Math.min(end, next.getKey());
            if (pieceEnd > at) {
                int n = (int) (pieceEnd - at);
                byte[] copy = new byte[n];
                System.arraycopy(b, off + (int) (at - pos), copy, 0, n);
                h.held.put(at, new TcpHalf.Held(at, copy, frame, nanos));
                h.heldBytes += n;
                heldBytesTotal += n;
            }
            if (next == null || next.getKey() >= end) {
                break;
            }
            overlapped = true;
            at = next.getKey() + next.getValue().data().length;
        }
        if (overlapped) {
            h.retransmissions++;
            retransmissions++;
        }
    }

    private void deliver(TcpConnection c, boolean fromClient, TcpHalf h, byte[] b, int off, int len, long frame,
                         long nanos) {
        h.nextSeq += len;
        h.position += len;
        h.delivered += len;
        listener.onData(c, fromClient, b, off, len, frame, nanos);
    }

    /** Delivers held segments that the stream has reached, trimming what was already delivered. */
    private void drain(TcpConnection c, boolean fromClient, TcpHalf h) {
        while (!h.held.isEmpty()) {
            Map.Entry<Long, TcpHalf.Held> first = h.held.firstEntry();
            TcpHalf.Held seg = first.getValue();
            long skip = h.position - seg.position();
            if (skip < 0) {
                return;
            }
            h.held.pollFirstEntry();
            h.heldBytes -= seg.data().length;
            heldBytesTotal -= seg.data().length;
            if (skip >= seg.data().length) {
                h.retransmissions++;
                retransmissions++;
                continue;
            }
            if (skip > 0) {
                h.retransmissions++;
                retransmissions++;
            }
            deliver(c, fromClient, h, seg.data(), (int) skip, seg.data().length - (int) skip, seg.frame(), seg.nanos());
        }
    }

    private void skipToFirstHeld(TcpConnection c, boolean fromClient, TcpHalf h, long frame) {
        long missing = h.held.firstKey() - h.position;
        if (missing > 0) {
            gap(c, fromClient, h, missing, frame, "bytes before a held segment never arrived");
        }
        drain(c, fromClient, h);
    }

    private void gap(TcpConnection c, boolean fromClient, TcpHalf h, long bytes, long frame, String why) {
        h.nextSeq += (int) bytes;
        h.position += bytes;
        h.gaps++;
        h.gapBytes += bytes;
        gaps++;
        diagnostics.report(frame, Layer.TCP, "tcp_gap", bytes + " bytes missing from " + c
                + (fromClient ? " (client to server)" : " (server to client)") + ": " + why);
        listener.onGap(c, fromClient, bytes, frame);
    }

    /** Delivers what is held (reporting holes as gaps) and closes the connection. */
    private void finish(TcpConnection c, TcpCloseReason reason, long frame) {
        for (boolean side : new boolean[] {true, false}) {
            TcpHalf h = c.half(side);
            while (!h.held.isEmpty()) {
                skipToFirstHeld(c, side, h, frame);
            }
        }
        c.closed = true;
        c.closeReason = reason;
        listener.onClose(c);
    }

    private void evictOldest(long frame) {
        Iterator<Map.Entry<FlowKey, TcpConnection>> it = connections.entrySet().iterator();
        TcpConnection oldest = it.next().getValue();
        it.remove();
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
            TcpCloseReason reason = c.fromClient.finSeen || c.fromServer.finSeen
                    ? TcpCloseReason.HALF_CLOSED : TcpCloseReason.CAPTURE_END;
            finish(c, reason, lastFrame);
        }
        connections.clear();
    }
}
