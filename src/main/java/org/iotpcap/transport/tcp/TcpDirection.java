package org.iotpcap.transport.tcp;

import java.util.Map;
import java.util.TreeMap;

/**
 * One direction of a TCP connection rebuilt into a byte stream: where the stream stands, the out-of-order
 * segments held for it, and what was lost or repeated. It knows nothing of connections, ports or flags
 * beyond what one direction needs; {@link TcpReassembler} finds the direction of each segment and feeds it.
 *
 * <ul>
 *   <li>The stream begins at the first sequence number seen ({@link #begin}): the SYN's, which occupies one
 *       sequence number (RFC 9293 section 3.4), or a data segment's when the capture started mid-connection.</li>
 *   <li>Sequence numbers compare modulo 2^32 (RFC 9293 section 3.4), so the stream crosses the wrap; a segment
 *       2^31 or more behind is taken as old (RFC 1982 leaves exactly 2^31 undefined).</li>
 *   <li>In-order bytes go to the {@link Output} straight from the caller's buffer (no copy, no allocation); a
 *       segment ahead of the stream is copied and held until the bytes before it arrive (RFC 9293 section
 *       3.10.7.4: segments with higher beginning sequence numbers are held for later processing).</li>
 *   <li>Bytes already delivered are never delivered again, and bytes already held are not held twice: the
 *       first copy wins. An in-order segment is delivered whole, so where it overlaps held bytes its copy
 *       is the one delivered and the held copy is trimmed. Each segment (or part of one) that repeats bytes
 *       counts as one retransmission. (tshark's follow agrees except where two held copies overlap:
 *       docs/tshark-differences-capture.md.)</li>
 *   <li>Missing bytes become a gap (the stream skips them and goes on) when the peer acknowledges bytes the
 *       capture never showed ({@link #acknowledged}), when holding a segment would exceed a cap of
 *       {@link TcpHeldBytes}, and when the connection ends with bytes still held ({@link #flush}).</li>
 *   <li>A FIN marks where the stream ends ({@link #fin}); {@link #complete()} says every byte before it was
 *       delivered or declared a gap.</li>
 * </ul>
 */
final class TcpDirection {
    /**
     * Where a direction's stream goes: in-order bytes, holes, and the events that the reassembler counts and
     * reports. Called in stream order, after the direction's own counters are updated.
     */
    interface Output {
        /** In-order stream bytes {@code b[off, off + len)}, carried by {@code frame} (valid only during the call). */
        void data(byte[] b, int off, int len, long frame, long nanos);

        /** {@code bytes} bytes were never seen; the stream goes on after them. */
        void gap(long bytes, long frame, String why);

        /** Holding a segment would exceed a buffer cap: the hole before the first held segment is given up next. */
        void bufferLimit(long frame);

        /** A segment, or a part of one, repeated bytes already delivered or held. */
        void retransmission();
    }

    /** An out-of-order segment held: its stream position, a copy of its bytes, and the frame that carried it. */
    record Held(long position, byte[] data, long frame, long nanos) {}

    private final TcpHeldBytes budget;
    private boolean started;
    /** The base sequence number: the SYN's, or the first seen when the handshake was not captured. */
    private int firstSeq;
    /** Sequence number of the next byte to deliver. */
    private int nextSeq;
    private boolean finSeen;
    private long finFrame;
    private int finSeq;
    /** Out-of-order segments by stream position; they never overlap one another. */
    /** Null until a segment is first held: most directions never hold one, and closed connections are kept. */
    private TreeMap<Long, Held> held;
    private long heldBytes;
    /** Stream position of {@link #nextSeq}: bytes delivered plus bytes of gaps. */
    private long position;
    private long delivered;
    private long retransmissions;
    private long gaps;
    private long gapBytes;

    /** A direction whose held bytes count against {@code budget}. */
    TcpDirection(TcpHeldBytes budget) {
        this.budget = budget;
    }

    /**
     * A segment starting at sequence number {@code seq} (a SYN when {@code syn}) arrived: the first one begins
     * the stream. Returns the sequence number of the segment's first data byte ({@code seq + 1} after a SYN).
     */
    int begin(int seq, boolean syn) {
        int dataSeq = syn ? seq + 1 : seq;
        if (!started) {
            started = true;
            firstSeq = seq;
            nextSeq = dataSeq;
        }
        return dataSeq;
    }

    boolean started() {
        return started;
    }

    /** The base sequence number (valid once {@link #started()}). */
    int firstSeq() {
        return firstSeq;
    }

    /** Sequence number of the next byte the stream expects. */
    int nextSeq() {
        return nextSeq;
    }

    /** The segment carrying a FIN ends at {@code seq} (the FIN's own sequence number). */
    void fin(int seq, long frame) {
        if (!finSeen) {
            finFrame = frame;
        }
        finSeen = true;
        finSeq = seq;
    }

    /** True when a FIN was seen and every byte before it was delivered or declared a gap. */
    boolean complete() {
        return finSeen && nextSeq == finSeq;
    }

    /** A segment with data arrived after the connection closed: it is counted, never delivered. */
    void late(Output out) {
        retransmitted(out);
    }

    /** The peer acknowledged up to {@code ack}: bytes before it that the capture never showed are a gap. */
    void acknowledged(int ack, long frame, Output out) {
        int end = finSeen && ack == finSeq + 1 ? finSeq : ack;
        int missing = end - nextSeq;
        if (missing <= 0) {
            return;
        }
        // Held segments may fill part of the acknowledged range: the gap runs to the first of them.
        if (!nothingHeld()) {
            long firstHeld = held.firstKey() - position;
            if (firstHeld < missing) {
                missing = (int) firstHeld;
            }
            if (missing <= 0) {
                return;
            }
        }
        gap(missing, frame, "acknowledged by the peer but never captured", out);
        drain(out);
    }

    /** The {@code len} data bytes {@code b[off, off + len)} of a segment whose first data byte is {@code seq}. */
    void data(int seq, byte[] b, int off, int len, long frame, long nanos, Output out) {
        int diff = seq - nextSeq;
        if (diff <= 0) {
            // long: a segment exactly 2^31 away gives diff = Integer.MIN_VALUE, whose int negation is itself
            long overlap = -(long) diff;
            if (overlap >= len || overlap > Integer.MAX_VALUE / 2) {
                retransmitted(out);
                return;
            }
            if (overlap > 0) {
                retransmitted(out);
            }
            deliver(b, off + (int) overlap, len - (int) overlap, frame, nanos, out);
            drain(out);
            return;
        }
        long pos = position + diff;
        Held same = held == null ? null : held.get(pos);
        if (same != null && same.data().length >= len) {
            retransmitted(out);
            return;
        }
        while (!budget.fits(heldBytes, len)) {
            if (nothingHeld()) {
                break;
            }
            out.bufferLimit(frame);
            skipToFirstHeld(frame, out);
            diff = seq - nextSeq;
            if (diff <= 0) {
                data(seq, b, off, len, frame, nanos, out);
                return;
            }
            pos = position + diff;
        }
        if (!budget.fits(heldBytes, len)) {
            // nothing held and still too big: give up on the hole before it
            gap(diff, frame, "out-of-order segment larger than the buffer limit", out);
            deliver(b, off, len, frame, nanos, out);
            return;
        }
        hold(pos, b, off, len, frame, nanos, out);
    }

    /** The connection ends: what is held is delivered, holes before it declared gaps. */
    void flush(long frame, Output out) {
        while (!nothingHeld()) {
            skipToFirstHeld(frame, out);
        }
    }

    /**
     * Holds the bytes [pos, pos + len) of an out-of-order segment, except those that held segments already
     * cover: the first copy of a byte wins, as it does for bytes already delivered. Held segments therefore
     * never overlap one another. A segment that repeats held bytes is counted as a retransmission.
     */
    private void hold(long pos, byte[] b, int off, int len, long frame, long nanos, Output out) {
        long end = pos + len;
        long at = pos;
        boolean overlapped = false;
        if (held == null) {
            held = new TreeMap<>();
        }
        Map.Entry<Long, Held> before = held.floorEntry(pos);
        if (before != null && before.getKey() + before.getValue().data().length > pos) {
            at = Math.min(end, before.getKey() + before.getValue().data().length);
            overlapped = true;
        }
        while (at < end) {
            Map.Entry<Long, Held> next = held.ceilingEntry(at);
            long pieceEnd = next == null ? end : Math.min(end, next.getKey());
            if (pieceEnd > at) {
                int n = (int) (pieceEnd - at);
                byte[] copy = new byte[n];
                System.arraycopy(b, off + (int) (at - pos), copy, 0, n);
                held.put(at, new Held(at, copy, frame, nanos));
                heldBytes += n;
                budget.add(n);
            }
            if (next == null || next.getKey() >= end) {
                break;
            }
            overlapped = true;
            at = next.getKey() + next.getValue().data().length;
        }
        if (overlapped) {
            retransmitted(out);
        }
    }

    private void deliver(byte[] b, int off, int len, long frame, long nanos, Output out) {
        nextSeq += len;
        position += len;
        delivered += len;
        out.data(b, off, len, frame, nanos);
    }

    /** Delivers held segments that the stream has reached, trimming what was already delivered. */
    private void drain(Output out) {
        while (!nothingHeld()) {
            Map.Entry<Long, Held> first = held.firstEntry();
            Held seg = first.getValue();
            long skip = position - seg.position();
            if (skip < 0) {
                return;
            }
            held.pollFirstEntry();
            heldBytes -= seg.data().length;
            budget.add(-seg.data().length);
            if (skip >= seg.data().length) {
                retransmitted(out);
                continue;
            }
            if (skip > 0) {
                retransmitted(out);
            }
            deliver(seg.data(), (int) skip, seg.data().length - (int) skip, seg.frame(), seg.nanos(), out);
        }
    }

    private void skipToFirstHeld(long frame, Output out) {
        long missing = held.firstKey() - position;
        if (missing > 0) {
            gap(missing, frame, "bytes before a held segment never arrived", out);
        }
        drain(out);
    }

    private void gap(long bytes, long frame, String why, Output out) {
        nextSeq += (int) bytes;
        position += bytes;
        gaps++;
        gapBytes += bytes;
        out.gap(bytes, frame, why);
    }

    private void retransmitted(Output out) {
        retransmissions++;
        out.retransmission();
    }

    /** Stream bytes delivered. */
    long delivered() {
        return delivered;
    }

    /** Segments (or parts of them) that repeated bytes already seen. */
    long retransmissions() {
        return retransmissions;
    }

    /** Holes declared (bytes never seen). */
    long gaps() {
        return gaps;
    }

    long gapBytes() {
        return gapBytes;
    }

    private boolean nothingHeld() {
        return held == null || held.isEmpty();
    }

    /** Out-of-order bytes held now. */
    long heldBytes() {
        return heldBytes;
    }

    boolean finSeen() {
        return finSeen;
    }

    /** Frame of the first FIN, 0 when none was seen. */
    long finFrame() {
        return finFrame;
    }
}
