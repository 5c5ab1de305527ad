package org.iotpcap.dissect.mqtt;

import java.util.HashMap;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * Cuts and decodes the MQTT control packets of one TCP connection, fed with the rebuilt byte stream of both
 * directions (from {@code TcpStreamListener.onData}) however the segments fall: a packet split over several
 * segments is one message, several packets in one segment are several messages. Only the incomplete packet at
 * the end of each direction is buffered: its fixed header (at most 5 bytes), then one array that grows (from
 * 4 KiB, doubling) as the bytes arrive, up to the declared size, which is checked against
 * {@link MqttLimits#maxPacketBytes()} first: memory follows the bytes seen, not what a header claims. Every
 * packet gets its own array, so the views in its message stay valid.
 *
 * <p>Each message carries the frame (and timestamp) holding its first byte and the frame holding its last;
 * tshark shows a reassembled packet in the latter.
 *
 * <p>Protocol level: a CONNECT's Protocol Level (3 = 3.1 "MQIsdp", 4 = 3.1.1, 5 = 5.0) governs every later
 * packet of the connection in both directions. Before any CONNECT (capture started mid-connection) packets are
 * decoded with the 3.1.1 layout and {@link MqttVersion#UNKNOWN}: tshark 4.0 does the same with its default
 * preference {@code mqtt.default_version: None} (no 5.0 properties, 3.1.1 field layout).
 *
 * <p>Topic aliases (5.0 §3.3.2.3.4) are kept per direction, as the spec scopes them: a PUBLISH with a Topic
 * Alias and a topic binds the alias; one with an empty topic gets the bound topic as
 * {@link MqttMessage.Publish#resolvedTopic()} (null when unbound). At most
 * {@link MqttLimits#maxTopicAliases()} per direction are remembered.
 *
 * <p>What stops a direction for good (reported once through {@link MqttSink#onMalformed}, later bytes of
 * that direction are ignored): a Remaining Length with a continuation bit on its 4th byte, and a packet over
 * the size limit. A packet whose content is malformed does not stop anything: its length is known, framing
 * goes on.
 *
 * <p>Gaps (bytes missing from the capture) are reported, each once, and drop the packet in progress. Decoding
 * then resumes only at the start of a later chunk of stream bytes (a TCP segment) that is exactly one or more
 * whole packets with plausible fixed headers (a defined type, the flags the spec fixes for it, PUBLISH QoS
 * below 3, Remaining Length well formed, within the size limit, the last packet ending with the chunk).
 * Chunks that fail the test are skipped. Senders write packets at segment starts, which is why tshark 4.0,
 * which starts a new PDU at the first segment after a gap, finds the same packets; the whole-chunk test
 * keeps us from starting inside a packet, where tshark would decode garbage.
 *
 * <p>Not thread-safe; one instance per connection.
 */
public final class MqttStreamDecoder {
    /** First buffer of a packet split over segments; it doubles, up to the declared size, as bytes arrive. */
    private static final int FIRST_BUFFER = 4096;
    private final MqttSink sink;
    private final MqttLimits limits;
    private final boolean keepSecrets;
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);
    private int level = MqttVersion.UNKNOWN;
    private long messages;
    private long malformed;
    private long aliasesDropped;

    public MqttStreamDecoder(MqttSink sink) {
        this(sink, MqttLimits.DEFAULTS, false);
    }

    /** @param keepSecrets keep CONNECT password bytes in {@link MqttMessage.Connect#password()} */
    public MqttStreamDecoder(MqttSink sink, MqttLimits limits, boolean keepSecrets) {
        this.sink = sink;
        this.limits = limits;
        this.keepSecrets = keepSecrets;
    }

    /** The connection's protocol level so far ({@link MqttVersion#UNKNOWN} before a CONNECT). */
    public int protocolLevel() {
        return level;
    }

    public long messages() {
        return messages;
    }

    public long malformed() {
        return malformed;
    }

    /** Topic aliases not remembered because {@link MqttLimits#maxTopicAliases()} was reached. */
    public long aliasesDropped() {
        return aliasesDropped;
    }

    /** True when that direction stopped for good (bad Remaining Length, oversized packet). */
    public boolean stopped(boolean fromClient) {
        return dir(fromClient).stopped;
    }

    private Direction dir(boolean fromClient) {
        return fromClient ? client : server;
    }

    /** In-order stream bytes of one direction, carried by {@code frame} at time {@code nanos}. */
    public void feed(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
        Direction d = dir(fromClient);
        if (d.resync) {
            if (d.stopped || !wellFramed(b, off, len)) {
                d.position += len;
                return;
            }
            d.resync = false;
        }
        int end = off + len;
        int i = off;
        while (i < end && !d.stopped) {
            if (d.packet == null) {
                if (d.hdrLen == 0) {
                    d.startFrame = frame;
                    d.startNanos = nanos;
                    d.startOffset = d.position + (i - off);
                    // fast path: whole packet inside this chunk
                    int total = completeLength(b, i, end);
                    if (total > 0 && total <= limits.maxPacketBytes()) {
                        byte[] p = java.util.Arrays.copyOfRange(b, i, i + total);
                        i += total;
                        emit(d, p, frame, nanos);
                        continue;
                    }
                }
                int x = b[i++] & 0xff;
                d.hdr[d.hdrLen++] = (byte) x;
                if (d.hdrLen == 1 || (x & 0x80) != 0) {
                    if (d.hdrLen == 5) {
                        stop(d, frame, MqttReason.BAD_REMAINING_LENGTH, d.startOffset + 4,
                                "Remaining Length has a continuation bit on its 4th byte; the rest of this"
                                        + " direction cannot be framed");
                    }
                    continue;
                }
                int remaining = 0;
                for (int k = 1; k < d.hdrLen; k++) {
                    remaining |= (d.hdr[k] & 0x7f) << (7 * (k - 1));
                }
                long total = (long) d.hdrLen + remaining;
                if (total > limits.maxPacketBytes()) {
                    stop(d, frame, MqttReason.PACKET_TOO_LARGE, d.startOffset, "packet of " + total
                            + " bytes exceeds limit (" + limits.maxPacketBytes() + "); the rest of this"
                            + " direction is not decoded");
                    continue;
                }
                // grown as bytes arrive, not allocated at the declared size: 5 bytes claiming 16 MiB must not
                // cost 16 MiB (per direction, per connection) before any of it is seen
                d.packetTotal = (int) total;
                d.packet = new byte[(int) Math.min(total, FIRST_BUFFER)];
                System.arraycopy(d.hdr, 0, d.packet, 0, d.hdrLen);
                d.fill = d.hdrLen;
                d.hdrLen = 0;
            }
            int n = Math.min(end - i, d.packetTotal - d.fill);
            if (d.fill + n > d.packet.length) {
                d.packet = java.util.Arrays.copyOf(d.packet,
                        (int) Math.min(d.packetTotal, Math.max(2L * d.packet.length, (long) d.fill + n)));
            }
            System.arraycopy(b, i, d.packet, d.fill, n);
            d.fill += n;
            i += n;
            if (d.fill == d.packetTotal) {
                byte[] p = d.packet;
                d.packet = null;
                d.fill = 0;
                emit(d, p, frame, nanos);
            }
        }
        d.position += len;
    }

    /** Length of the packet starting at b[i] when all of it lies before end, else -1. */
    private static int completeLength(byte[] b, int i, int end) {
        int remaining = 0;
        for (int k = 1; k <= 4; k++) {
            if (i + k >= end) {
                return -1;
            }
            int x = b[i + k] & 0xff;
            remaining |= (x & 0x7f) << (7 * (k - 1));
            if ((x & 0x80) == 0) {
                long total = 1L + k + remaining;
                return total <= end - i ? (int) total : -1;
            }
        }
        return -1;
    }

    /**
     * {@code bytes} bytes of one direction were never seen: the packet in progress is dropped and decoding
     * resumes at the next chunk that is whole packets (see the class comment).
     */
    public void gap(boolean fromClient, long bytes, long frame) {
        Direction d = dir(fromClient);
        if (!d.stopped) {
            boolean partial = d.packet != null || d.hdrLen > 0;
            malformed++;
            sink.onMalformed(d.fromClient, frame, MqttReason.STREAM_GAP, d.position, bytes
                    + " bytes missing from the stream" + (partial ? ", inside a packet that started at offset "
                    + d.startOffset : "") + "; decoding resumes at the next segment made of whole packets");
            d.packet = null;
            d.fill = 0;
            d.hdrLen = 0;
            d.resync = true;
        }
        d.position += bytes;
    }

    /** True when b[off..off+len) is exactly one or more whole packets with plausible fixed headers. */
    private boolean wellFramed(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        if (len == 0) {
            return false;
        }
        while (i < end) {
            int first = b[i] & 0xff;
            MqttPacketType type = MqttPacketType.of(first >> 4);
            int flags = first & 0x0f;
            int required = type.requiredFlags();
            if (type == MqttPacketType.RESERVED
                    || (type == MqttPacketType.AUTH && level != MqttVersion.V5)
                    || (required >= 0 && flags != required
                    && !(required == 0b0010 && level != MqttVersion.V311 && level != MqttVersion.V5
                    && (flags & 0b0110) == 0b0010))
                    || (required < 0 && ((flags >> 1) & 3) == 3)) {
                return false;
            }
            int total = completeLength(b, i, end);
            if (total <= 0 || total > limits.maxPacketBytes()) {
                return false;
            }
            i += total;
        }
        return i == end;
    }

    /** End of the connection: an incomplete packet left in a direction is reported. */
    public void close() {
        for (Direction d : new Direction[] {client, server}) {
            if (!d.stopped && !d.resync && (d.packet != null || d.hdrLen > 0)) {
                int have = d.packet != null ? d.fill : d.hdrLen;
                String need = d.packet != null ? " of " + d.packetTotal : "";
                stop(d, d.startFrame, MqttReason.INCOMPLETE_AT_END, d.startOffset, "stream ended after " + have
                        + need + " bytes of a packet");
            }
            d.packet = null;
            d.hdrLen = 0;
        }
    }

    private void stop(Direction d, long frame, MqttReason reason, long offset, String detail) {
        d.stopped = true;
        d.packet = null;
        malformed++;
        sink.onMalformed(d.fromClient, frame, reason, offset, detail);
    }

    private void emit(Direction d, byte[] p, long frame, long nanos) {
        ByteView v = ByteView.of(p);
        int first = p[0] & 0xff;
        if (first >> 4 == MqttPacketType.CONNECT.code()) {
            int l = MqttDecoder.connectLevel(v);
            if (l >= 0) {
                level = l;
            }
        }
        int hdr = 2;
        while ((p[hdr - 1] & 0x80) != 0) {
            hdr++;
        }
        int remaining = p.length - hdr;
        DecodeResult<MqttMessage> r = MqttDecoder.decode(v, level, keepSecrets, limits);
        if (r instanceof DecodeResult.Decoded<MqttMessage> ok) {
            MqttMessage m = ok.value();
            if (m instanceof MqttMessage.Publish pub && level == MqttVersion.V5) {
                m = resolveAlias(d, pub);
            }
            messages++;
            sink.onMessage(new MqttFramed(d.fromClient, d.startFrame, frame, d.startNanos, nanos, d.startOffset,
                    p.length, remaining, first, level, m));
        } else if (r instanceof DecodeResult.Malformed<MqttMessage> bad) {
            malformed++;
            sink.onMalformed(d.fromClient, frame, (MqttReason) bad.reason(), d.startOffset + bad.offset(),
                    MqttPacketType.of(first >> 4) + ": " + bad.detail());
        } else {
            throw new IllegalStateException("a whole packet cannot be truncated: " + r);
        }
    }

    private MqttMessage.Publish resolveAlias(Direction d, MqttMessage.Publish pub) {
        int alias = pub.topicAlias();
        if (alias == 0) {
            return pub;
        }
        if (!pub.topic().isEmpty()) {
            if (d.aliases.size() < limits.maxTopicAliases() || d.aliases.containsKey(alias)) {
                d.aliases.put(alias, pub.topic());
            } else {
                aliasesDropped++;
            }
            return pub;
        }
        return pub.withResolvedTopic(d.aliases.get(alias));
    }

    private static final class Direction {
        final boolean fromClient;
        final byte[] hdr = new byte[5];
        int hdrLen;
        /** The packet in progress: its first {@code fill} bytes of {@code packetTotal}. */
        byte[] packet;
        int packetTotal;
        int fill;
        long position;
        long startOffset;
        long startFrame;
        long startNanos;
        boolean stopped;
        boolean resync;
        final Map<Integer, String> aliases = new HashMap<>();

        Direction(boolean fromClient) {
            this.fromClient = fromClient;
        }
    }
}
