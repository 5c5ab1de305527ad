package org.iotpcap.dissect.mqtt.decode;

import java.util.ArrayList;
import org.iotpcap.bytes.Limits;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttFixedHeader;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttSink;
import org.iotpcap.dissect.mqtt.MqttVersion;

/**
 * Cuts and decodes the MQTT control packets of one TCP connection, fed with the rebuilt byte stream of both
 * directions (from {@code TcpStreamListener.onData}) however the segments fall: a packet split over several
 * segments is one message, several packets in one segment are several messages. Only the incomplete packet at
 * the end of each direction is buffered: its fixed header (at most 5 bytes), then one array that grows (from
 * 4 KiB, doubling) as the bytes arrive, up to the declared size, which is checked against
 * {@link Limits.Mqtt#maxPacketBytes()} first: memory follows the bytes seen, not what a header claims. Every
 * packet gets its own array, so the views in its message stay valid.
 *
 * <p>Each message carries the frame (and timestamp) holding its first byte and the frame holding its last;
 * tshark shows a reassembled packet in the latter.
 *
 * <p>Protocol level: a CONNECT's Protocol Level (3 = 3.1 "MQIsdp", 4 = 3.1.1, 5 = 5.0) governs every later
 * packet of the connection in both directions. Before any CONNECT (capture started mid-connection) the level
 * is inferred ({@link MqttLevelInference}): packets both versions parse are held back, in the connection's
 * order, until a packet that only one version parses names the level; then the held packets are decoded with
 * that level and delivered, marked {@link MqttFramed#levelInferred()}, and so is every later packet. So a
 * 5.0 CONNACK is not read with the 3.1.1 layout, nor the PUBLISH after it one byte off. At most
 * {@link #MAX_HELD_PACKETS} packets or {@link #MAX_HELD_BYTES} bytes are held: past that (or at a CONNECT, or
 * at the end of the connection) the held packets are delivered as decoded with the 3.1.1 layout and
 * {@link MqttVersion#UNKNOWN}, as tshark 4.0 does with its default preference {@code mqtt.default_version:
 * None}, reported once as {@link MqttReason#LEVEL_NOT_INFERRED}; inference goes on for later packets. Packets
 * that neither version parses are reported as the 3.1.1 rules find them, at once.
 *
 * <p>Topic aliases (5.0 §3.3.2.3.4) are kept per direction, as the spec scopes them: a PUBLISH with a Topic
 * Alias and a topic binds the alias; one with an empty topic gets the bound topic as
 * {@link MqttMessage.Publish#resolvedTopic()} (null when unbound). At most
 * {@link Limits.Mqtt#maxTopicAliases()} per direction are remembered.
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
    /** Packets held back, at most, while the level of a connection without CONNECT is not known. */
    public static final int MAX_HELD_PACKETS = 64;
    /** Bytes of held-back packets, at most (see {@link #MAX_HELD_PACKETS}). */
    public static final long MAX_HELD_BYTES = 1L << 20;
    /** First buffer of a packet split over segments; it doubles, up to the declared size, as bytes arrive. */
    private static final int FIRST_BUFFER = 4096;
    private final MqttSink sink;
    private final Limits.Mqtt limits;
    private final boolean keepSecrets;
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);
    private int level = MqttVersion.UNKNOWN;
    private boolean inferred;
    private final List<Held> held = new ArrayList<>();
    private long heldBytes;
    private boolean undecidedReported;
    private long messages;
    private long malformed;
    private long aliasesDropped;

    public MqttStreamDecoder(MqttSink sink) {
        this(sink, Limits.Mqtt.DEFAULTS, false);
    }

    /** @param keepSecrets keep CONNECT password bytes in {@link MqttMessage.Connect#password()} */
    public MqttStreamDecoder(MqttSink sink, Limits.Mqtt limits, boolean keepSecrets) {
        this.sink = sink;
        this.limits = limits;
        this.keepSecrets = keepSecrets;
    }

    /**
     * The connection's protocol level so far: its CONNECT's, or the inferred one ({@link #levelInferred()}),
     * {@link MqttVersion#UNKNOWN} before either.
     */
    public int protocolLevel() {
        return level;
    }

    /** True when {@link #protocolLevel()} was inferred from packets other than a CONNECT. */
    public boolean levelInferred() {
        return inferred;
    }

    public long messages() {
        return messages;
    }

    public long malformed() {
        return malformed;
    }

    /** Topic aliases not remembered because {@link Limits.Mqtt#maxTopicAliases()} was reached. */
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
                DecodeResult<MqttFixedHeader> read;
                if (d.hdrLen == 0) {
                    d.startFrame = frame;
                    d.startNanos = nanos;
                    d.startOffset = d.position + (i - off);
                    read = MqttFixedHeader.decode(ByteView.of(b, i, end - i));
                    if (read instanceof DecodeResult.Decoded<MqttFixedHeader> ok) {
                        MqttFixedHeader h = ok.value();
                        int total = h.packetLength();
                        if (total <= end - i && total <= limits.maxPacketBytes()) {
                            // fast path: the whole packet is inside this chunk
                            byte[] p = Arrays.copyOfRange(b, i, i + total);
                            i += total;
                            emit(d, h, p, frame, nanos);
                            continue;
                        }
                        System.arraycopy(b, i, d.hdr, 0, h.length());
                        d.hdrLen = h.length();
                        i += h.length();
                    } else if (read instanceof DecodeResult.Truncated<MqttFixedHeader>) {
                        // the chunk ends inside the fixed header (at most 4 bytes of it): keep them
                        System.arraycopy(b, i, d.hdr, 0, end - i);
                        d.hdrLen = end - i;
                        i = end;
                        continue;
                    }
                } else {
                    // the fixed header began in an earlier chunk: one byte more at a time
                    d.hdr[d.hdrLen++] = b[i++];
                    read = MqttFixedHeader.decode(ByteView.of(d.hdr, 0, d.hdrLen));
                    if (read instanceof DecodeResult.Truncated<MqttFixedHeader>) {
                        continue;
                    }
                }
                if (read instanceof DecodeResult.Malformed<MqttFixedHeader> bad) {
                    stop(d, frame, (MqttReason) bad.reason(), d.startOffset + bad.offset(), bad.detail()
                            + "; the rest of this direction cannot be framed");
                    continue;
                }
                MqttFixedHeader h = read.value();
                if (h.packetLength() > limits.maxPacketBytes()) {
                    stop(d, frame, MqttReason.PACKET_TOO_LARGE, d.startOffset, "packet of " + h.packetLength()
                            + " bytes exceeds limit (" + limits.maxPacketBytes() + "); the rest of this"
                            + " direction is not decoded");
                    continue;
                }
                // grown as bytes arrive, not allocated at the declared size: 5 bytes claiming 16 MiB must not
                // cost 16 MiB (per direction, per connection) before any of it is seen
                d.header = h;
                d.packet = new byte[Math.min(h.packetLength(), FIRST_BUFFER)];
                System.arraycopy(d.hdr, 0, d.packet, 0, d.hdrLen);
                d.fill = d.hdrLen;
                d.hdrLen = 0;
            }
            int total = d.header.packetLength();
            int n = Math.min(end - i, total - d.fill);
            if (d.fill + n > d.packet.length) {
                d.packet = Arrays.copyOf(d.packet,
                        (int) Math.min(total, Math.max(2L * d.packet.length, (long) d.fill + n)));
            }
            System.arraycopy(b, i, d.packet, d.fill, n);
            d.fill += n;
            i += n;
            if (d.fill == total) {
                byte[] p = d.packet;
                d.packet = null;
                d.fill = 0;
                emit(d, d.header, p, frame, nanos);
            }
        }
        d.position += len;
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

    /**
     * True when b[off..off+len) is exactly one or more whole packets whose fixed headers pass
     * {@link MqttFixedHeader#validAt} at the connection's level and declare no more than the size limit.
     */
    private boolean wellFramed(byte[] b, int off, int len) {
        if (len == 0) {
            return false;
        }
        int i = 0;
        while (i < len) {
            if (!(MqttFixedHeader.decode(ByteView.of(b, off + i, len - i))
                    instanceof DecodeResult.Decoded<MqttFixedHeader> ok)) {
                return false;
            }
            MqttFixedHeader h = ok.value();
            if (!h.validAt(level) || h.packetLength() > len - i || h.packetLength() > limits.maxPacketBytes()) {
                return false;
            }
            i += h.packetLength();
        }
        return true;
    }

    /**
     * End of the connection: an incomplete packet left in a direction is reported, and packets held back for
     * want of a level are delivered (see the class comment).
     */
    public void close() {
        release();
        for (Direction d : new Direction[] {client, server}) {
            if (!d.stopped && !d.resync && (d.packet != null || d.hdrLen > 0)) {
                int have = d.packet != null ? d.fill : d.hdrLen;
                String need = d.packet != null ? " of " + d.header.packetLength() : "";
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

    private void emit(Direction d, MqttFixedHeader h, byte[] p, long frame, long nanos) {
        Held packet = new Held(d, h, p, d.startFrame, frame, d.startNanos, nanos, d.startOffset);
        ByteView v = ByteView.of(p);
        if (h.type() == MqttPacketType.CONNECT) {
            release();
            int l = MqttVersion.connectLevel(v, h.length());
            if (l >= 0) {
                level = l;
                inferred = false;
            }
        } else if (level == MqttVersion.UNKNOWN) {
            int only = MqttLevelInference.onlyLevel(h, v, limits);
            if (only != MqttVersion.UNKNOWN) {
                level = only;
                inferred = true;
                release();
            } else if (MqttDecoder.decode(h, v, level, keepSecrets, limits) instanceof DecodeResult.Decoded<?>) {
                if (held.size() == MAX_HELD_PACKETS || heldBytes + p.length > MAX_HELD_BYTES) {
                    release();
                    if (!undecidedReported) {
                        undecidedReported = true;
                        sink.onMalformed(d.fromClient, frame, MqttReason.LEVEL_NOT_INFERRED, d.startOffset,
                                "no CONNECT and no packet that only one MQTT version parses among the first "
                                + MAX_HELD_PACKETS + " packets (or " + MAX_HELD_BYTES + " bytes): decoded with"
                                + " the 3.1.1 layout, protocol level 0");
                    }
                }
                held.add(packet);
                heldBytes += p.length;
                return;
            }
        }
        decode(packet);
    }

    /** Decodes and delivers the held-back packets with the level known now (UNKNOWN if none), in order. */
    private void release() {
        if (held.isEmpty()) {
            return;
        }
        for (Held packet : held) {
            decode(packet);
        }
        held.clear();
        heldBytes = 0;
    }

    private void decode(Held x) {
        Direction d = x.d;
        MqttFixedHeader h = x.h;
        DecodeResult<MqttMessage> r = MqttDecoder.decode(h, ByteView.of(x.p), level, keepSecrets, limits);
        if (r instanceof DecodeResult.Decoded<MqttMessage> ok) {
            MqttMessage m = ok.value();
            if (m instanceof MqttMessage.Publish pub && level == MqttVersion.V5) {
                m = resolveAlias(d, pub);
            }
            messages++;
            sink.onMessage(new MqttFramed(d.fromClient, x.startFrame, x.frame, x.startNanos, x.nanos,
                    x.startOffset, x.p.length, h.remainingLength(), x.p[0] & 0xff, level,
                    inferred && level != MqttVersion.UNKNOWN, m));
        } else if (r instanceof DecodeResult.Malformed<MqttMessage> bad) {
            malformed++;
            sink.onMalformed(d.fromClient, x.frame, (MqttReason) bad.reason(), x.startOffset + bad.offset(),
                    h.type() + ": " + bad.detail());
        } else {
            throw new IllegalStateException("a whole packet cannot be truncated: " + r);
        }
    }

    /** A whole packet, with where it lies, held back until the connection's level is known. */
    private record Held(Direction d, MqttFixedHeader h, byte[] p, long startFrame, long frame, long startNanos,
                        long nanos, long startOffset) {}

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
        /** The fixed header of the packet to come, while it is split over chunks: its first {@code hdrLen} bytes. */
        final byte[] hdr = new byte[MqttFixedHeader.MAX_LENGTH];
        int hdrLen;
        /** The packet in progress: its first {@code fill} bytes of {@code header.packetLength()}. */
        byte[] packet;
        MqttFixedHeader header;
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
