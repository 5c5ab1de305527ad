package org.iotpcap.dissect.mqtt.decode;

import org.iotpcap.bytes.Limits;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttConnectFlags;
import org.iotpcap.dissect.mqtt.MqttFixedHeader;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.dissect.mqtt.v311.Mqtt311Decoder;
import org.iotpcap.dissect.mqtt.v5.Mqtt5Decoder;

/**
 * Decodes one whole MQTT control packet, given the protocol level of its connection, by handing it to the
 * decoder of its version; and detects MQTT at the start of a TCP stream.
 *
 * <p>The fixed header (3.1.1 §2.2, 5.0 §2.1) is read by {@link MqttFixedHeader#decode}. A CONNECT is decoded
 * by the level it carries itself ({@link MqttVersion#connectLevel}); every other packet by {@code level}: 5
 * with the 5.0 rules ({@link Mqtt5Decoder}), anything else (3, 4, or {@link MqttVersion#UNKNOWN} when no
 * CONNECT was seen) with the 3.1/3.1.1 rules ({@link Mqtt311Decoder}). Views in the result share the input's
 * bytes.
 *
 * <p>This package sits above the version packages: {@code v311} and {@code v5} depend only on the
 * version-neutral {@code dissect.mqtt} and {@code dissect.mqtt.internal}, never on this dispatcher.
 */
public final class MqttDecoder {
    private MqttDecoder() {}

    /**
     * @param packet exactly one control packet
     * @param level protocol level of the connection ({@link MqttVersion})
     * @param keepSecrets keep CONNECT password bytes (otherwise only presence and length)
     * @return the message; {@code Truncated} when {@code packet} ends before the length its fixed header
     *     declares; {@code Malformed} {@link MqttReason#BAD_PACKET_LENGTH} when bytes follow it
     */
    public static DecodeResult<MqttMessage> decode(ByteView packet, int level, boolean keepSecrets,
                                                   Limits.Mqtt limits) {
        DecodeResult<MqttFixedHeader> read = MqttFixedHeader.decode(packet);
        if (!(read instanceof DecodeResult.Decoded<MqttFixedHeader> ok)) {
            return retyped(read);
        }
        MqttFixedHeader h = ok.value();
        int total = h.packetLength();
        if (total > packet.length()) {
            return DecodeResult.truncated(total, packet.length());
        }
        if (total < packet.length()) {
            return DecodeResult.malformed(MqttReason.BAD_PACKET_LENGTH, total,
                    (packet.length() - total) + " bytes after the packet's Remaining Length");
        }
        return decode(h, packet, level, keepSecrets, limits);
    }

    /** {@link #decode(ByteView, int, boolean, Limits.Mqtt)} of a packet whose header was read and checked. */
    static DecodeResult<MqttMessage> decode(MqttFixedHeader h, ByteView packet, int level, boolean keepSecrets,
                                            Limits.Mqtt limits) {
        if (h.type() == MqttPacketType.CONNECT) {
            int own = MqttVersion.connectLevel(packet, h.length());
            return own == MqttVersion.V5
                    ? Mqtt5Decoder.decode(h, packet, keepSecrets, limits)
                    : Mqtt311Decoder.decode(h, packet, own < 0 ? level : own, keepSecrets, limits);
        }
        return level == MqttVersion.V5
                ? Mqtt5Decoder.decode(h, packet, keepSecrets, limits)
                : Mqtt311Decoder.decode(h, packet, level, keepSecrets, limits);
    }

    /**
     * Heuristic: does this client-to-server stream start with an MQTT CONNECT? True when the first bytes are a
     * CONNECT fixed header (0x10, flags 0) with a sane Remaining Length (at least 12 bytes: protocol name
     * "MQTT" (6), level, flags, keep alive (2) and a client identifier length (2)), the protocol name is
     * "MQTT" with level 4 or 5, or "MQIsdp" with level 3 (and a Remaining Length of at least 14), and the
     * Connect Flags break no rule of {@link MqttConnectFlags#violation} and have the reserved bit clear even
     * at level 3 (where the decoder does not check it). Only the first 14 bytes are needed; the rest of the
     * packet is not required, so it works on the first segment of a large CONNECT. Used to find MQTT on ports
     * other than 1883.
     */
    public static boolean looksLikeConnect(ByteView stream) {
        if (!(MqttFixedHeader.decode(stream) instanceof DecodeResult.Decoded<MqttFixedHeader> ok)) {
            return false;
        }
        MqttFixedHeader h = ok.value();
        int at = h.length();
        if (h.type() != MqttPacketType.CONNECT || h.flags() != 0 || h.remainingLength() < 12
                || stream.length() < at + 2) {
            return false;
        }
        int nameLen = stream.u16(at);
        int flagsAt = at + 2 + nameLen + 1;
        if ((nameLen != 4 && nameLen != 6) || stream.length() <= flagsAt) {
            return false;
        }
        String name = stream.latin1(at + 2, nameLen);
        int level = MqttVersion.connectLevel(stream, at);
        boolean mqtt = name.equals("MQTT") && (level == MqttVersion.V311 || level == MqttVersion.V5);
        boolean mqisdp = name.equals("MQIsdp") && level == MqttVersion.V31 && h.remainingLength() >= 14;
        if (!mqtt && !mqisdp) {
            return false;
        }
        int flags = stream.u8(flagsAt);
        return (flags & MqttConnectFlags.RESERVED) == 0 && MqttConnectFlags.violation(flags, level) == null;
    }

    /** What a chunk of stream bytes says about a connection picked up mid-stream ({@link #midStream}). */
    public enum MidStream {
        /** Not MQTT: not whole packets, or a packet neither version parses. */
        NOT_MQTT,
        /** Whole packets, but only ones too short to tell (PINGREQ, acknowledgements): look at the next chunk. */
        PLAUSIBLE,
        /** Whole packets, one of them a PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE or CONNACK. */
        MQTT
    }

    /**
     * Heuristic for a connection picked up mid-stream (no handshake, no CONNECT in the capture): is a chunk of
     * its stream bytes, as one TCP segment carried them, MQTT? {@link MidStream#MQTT} when the chunk is exactly
     * one or more whole packets, none a CONNECT, none larger than {@code limits}, all of which decode under the
     * same version's rules, 3.1.1 at level 4 (fixed-header flags as 3.1.1 §2.2.2 fixes them) or 5.0, and at
     * least one carries content (a PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE or CONNACK); {@link
     * MidStream#PLAUSIBLE} when all that holds but none carries content, since a few bytes that read as a
     * PINGREQ or an acknowledgement prove little; else {@link MidStream#NOT_MQTT}.
     */
    public static MidStream midStream(ByteView chunk, Limits.Mqtt limits) {
        MidStream v311 = wholePackets(chunk, MqttVersion.V311, limits);
        MidStream v5 = wholePackets(chunk, MqttVersion.V5, limits);
        return v311.compareTo(v5) >= 0 ? v311 : v5;
    }

    private static MidStream wholePackets(ByteView chunk, int level, Limits.Mqtt limits) {
        int at = 0;
        boolean content = false;
        while (at < chunk.length()) {
            ByteView rest = chunk.slice(at, chunk.length() - at);
            if (!(MqttFixedHeader.decode(rest) instanceof DecodeResult.Decoded<MqttFixedHeader> ok)) {
                return MidStream.NOT_MQTT;
            }
            MqttFixedHeader h = ok.value();
            int total = h.packetLength();
            if (h.type() == MqttPacketType.CONNECT || total > rest.length() || total > limits.maxPacketBytes()
                    || !(decode(h, rest.slice(0, total), level, false, limits)
                            instanceof DecodeResult.Decoded<MqttMessage>)) {
                return MidStream.NOT_MQTT;
            }
            content |= switch (h.type()) {
                case PUBLISH, SUBSCRIBE, SUBACK, UNSUBSCRIBE, CONNACK -> true;
                default -> false;
            };
            at += total;
        }
        return at == 0 ? MidStream.NOT_MQTT : content ? MidStream.MQTT : MidStream.PLAUSIBLE;
    }

    @SuppressWarnings("unchecked")
    private static <T> DecodeResult<T> retyped(DecodeResult<?> noValue) {
        return (DecodeResult<T>) noValue;
    }
}
