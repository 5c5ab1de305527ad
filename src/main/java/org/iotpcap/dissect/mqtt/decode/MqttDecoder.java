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

    @SuppressWarnings("unchecked")
    private static <T> DecodeResult<T> retyped(DecodeResult<?> noValue) {
        return (DecodeResult<T>) noValue;
    }
}
