package org.iotpcap.ip;

import java.util.ArrayList;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;

/**
 * Rebuilds IPv4 and IPv6 datagrams from their fragments (RFC 791 section 3.2, RFC 8200 section 4.5),
 * keyed by (version, source, destination, protocol, identification). Overlapping bytes: the first copy
 * wins. Limits: a datagram not complete within the capture-time timeout is dropped, one larger than the
 * byte limit is dropped, and beyond the in-flight limit the oldest incomplete datagram is evicted; each is
 * reported. The rebuilt datagram belongs to the frame of the fragment that completed it, as in tshark.
 */
public final class FragmentReassembler {
    private final Limits limits;
    private final Diagnostics diagnostics;
    /** Insertion order = age, for eviction and timeouts. */
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long reassembled;
    private long dropped;

    public FragmentReassembler(Limits limits, Diagnostics diagnostics) {
        this.limits = limits;
        this.diagnostics = diagnostics;
    }

    private record Key(int version, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, long id) {}

    private static final class Piece {
        final int offset;
        final byte[] data;

        Piece(int offset, byte[] data) {
            this.offset = offset;
            this.data = data;
        }
    }

    private static final class Pending {
        final long firstFrame;
        final long firstNanos;
        final List<Piece> pieces = new ArrayList<>();
        int totalLength = -1; // known once the last fragment (MF clear) arrives
        int bytes;

        Pending(long frame, long nanos) {
            this.firstFrame = frame;
            this.firstNanos = nanos;
        }
    }

    /**
     * Offers a fragment. Returns true when it completed its datagram: {@code p}'s payload then points at the
     * whole rebuilt transport payload (and, for IPv6, its extension headers have been walked).
     */
    public boolean offer(IpPacket p, long frame, long nanos) {
        expire(frame, nanos);
        Key key = new Key(p.version, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.protocol, p.identification);
        Pending d = pending.get(key);
        if (d == null) {
            if (pending.size() >= limits.maxFragmentDatagramsInFlight()) {
                Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
                Map.Entry<Key, Pending> oldest = it.next();
                it.remove();
                drop(frame, "fragments_evicted", "incomplete datagram from frame " + oldest.getValue().firstFrame
                        + " evicted: datagrams in flight exceed limit (" + limits.maxFragmentDatagramsInFlight() + ")");
            }
            d = new Pending(frame, nanos);
            pending.put(key, d);
        }
        int end = p.fragmentOffset + p.payloadLength;
        if (end > limits.maxFragmentDatagramBytes()) {
            pending.remove(key);
            drop(frame, "fragment_datagram_too_large", "fragmented datagram reaches " + end
                    + " bytes, which exceeds limit (" + limits.maxFragmentDatagramBytes() + ")");
            return false;
        }
        if (!p.moreFragments) {
            if (d.totalLength >= 0 && d.totalLength != end) {
                diagnostics.report(frame, Layer.IP_FRAGMENT, "fragment_conflicting_end",
                        "last fragment ends at " + end + " but an earlier one ended at " + d.totalLength);
            } else {
                d.totalLength = end;
            }
        }
        byte[] copy = new byte[p.payloadLength];
        System.arraycopy(p.payload, p.payloadOffset, copy, 0, p.payloadLength);
        d.pieces.add(new Piece(p.fragmentOffset, copy));
        d.bytes += copy.length;
        if (d.totalLength < 0) {
            return false;
        }
        byte[] whole = assemble(d);
        if (whole == null) {
            return false;
        }
        pending.remove(key);
        reassembled++;
        p.fragment = false;
        if (p.version == 6 && isExtensionHeader(p.protocol)) {
            String err = IpDecoder.walkV6(p.protocol, whole, 0, whole.length, p);
            if (err != null) {
                diagnostics.report(frame, Layer.IPV6, err, "in the datagram rebuilt from fragments");
                return false;
            }
            p.fragment = false;
        } else {
            p.payload = whole;
            p.payloadOffset = 0;
            p.payloadLength = whole.length;
        }
        return true;
    }

    private static boolean isExtensionHeader(int next) {
        return next == IpDecoder.HOPOPTS || next == IpDecoder.ROUTING || next == IpDecoder.DSTOPTS
                || next == IpDecoder.AH || next == IpDecoder.MOBILITY || next == IpDecoder.HIP || next == IpDecoder.SHIM6;
    }

    /** The datagram if the pieces cover [0, total) without a hole; first copy wins where they overlap. */
    private static byte[] assemble(Pending d) {
        int total = d.totalLength;
        boolean[] have = new boolean[total];
        byte[] out = new byte[total];
        int covered = 0;
        for (Piece piece : d.pieces) {
            int lim = Math.min(total, piece.offset + piece.data.length);
            for (int i = piece.offset; i < lim; i++) {
                if (!have[i]) {
                    have[i] = true;
                    out[i] = piece.data[i - piece.offset];
                    covered++;
                }
            }
        }
        return covered == total ? out : null;
    }

    private void expire(long frame, long nanos) {
        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Pending d = it.next().getValue();
            if (nanos - d.firstNanos <= limits.fragmentTimeoutNanos()) {
                break;
            }
            it.remove();
            drop(frame, "fragments_timed_out", "incomplete datagram from frame " + d.firstFrame + " timed out after "
                    + limits.fragmentTimeoutNanos() / 1_000_000_000L + " s of capture time");
        }
    }

    private void drop(long frame, String reason, String detail) {
        dropped++;
        diagnostics.report(frame, Layer.IP_FRAGMENT, reason, detail);
    }

    /** Reports datagrams still incomplete when the capture ends. */
    public void finish(long lastFrame) {
        for (Pending d : pending.values()) {
            drop(lastFrame, "fragments_incomplete_at_end", "datagram from frame " + d.firstFrame
                    + " still incomplete at the end of the capture (" + d.bytes + " bytes held)");
        }
        pending.clear();
    }

    public long reassembled() {
        return reassembled;
    }

    public long dropped() {
        return dropped;
    }

    public int inFlight() {
        return pending.size();
    }

}
