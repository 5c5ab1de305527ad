package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.internal.MqttReader;
import org.iotpcap.dissect.mqtt.v311.Mqtt311Decoder;
import org.iotpcap.dissect.mqtt.v5.Mqtt5Decoder;

/**
 * Decodes one whole MQTT control packet (fixed header included), given the protocol level of its connection;
 * and detects MQTT at the start of a TCP stream.
 *
 * <p>Fixed header (3.1.1 §2.2, 5.0 §2.1):
 * <pre>
 *  bit    7   6   5   4   3   2   1   0
 *       +---------------+---------------+
 * byte 1| packet type   | flags         |   PUBLISH flags: DUP, QoS (2 bits), RETAIN
 *       +---------------+---------------+
 * byte 2..5  Remaining Length: 1 to 4 bytes, 7 bits each, least significant group first,
 *            bit 7 = more bytes follow
 * </pre>
 *
 * <p>A CONNECT is decoded by the level it carries itself; every other packet by {@code level}: 5 with the 5.0
 * rules ({@link Mqtt5Decoder}), anything else (3, 4, or {@link MqttVersion#UNKNOWN} when no CONNECT was seen)
 * with the 3.1/3.1.1 rules ({@link Mqtt311Decoder}). Views in the result share the input's bytes.
 */
public final class MqttDecoder {
    private MqttDecoder() {}

    /**
     * @param packet exactly one control packet
     * @param level protocol level of the connection ({@link MqttVersion})
     * @param keepSecrets keep CONNECT password bytes (otherwise only presence and length)
     */
    public static DecodeResult<MqttMessage> decode(ByteView packet, int level, boolean keepSecrets,
                                                   MqttLimits limits) {
        if (packet.length() < 2) {
            return DecodeResult.truncated(2, packet.length());
        }
        int remaining = 0;
        int i = 1;
        for (; ; i++) {
            if (i > 4) {
                return DecodeResult.malformed(MqttReason.BAD_REMAINING_LENGTH, 4,
                        "Remaining Length has a continuation bit on its 4th byte");
            }
            if (i >= packet.length()) {
                return DecodeResult.truncated(i + 1, packet.length());
            }
            int b = packet.u8(i);
            remaining |= (b & 0x7f) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                break;
            }
        }
        int header = i + 1;
        long total = (long) header + remaining;
        if (total > packet.length()) {
            return DecodeResult.truncated((int) Math.min(Integer.MAX_VALUE, total), packet.length());
        }
        if (total < packet.length()) {
            return DecodeResult.malformed(MqttReason.BAD_PACKET_LENGTH, (int) total,
                    (packet.length() - total) + " bytes after the packet's Remaining Length");
        }
        int first = packet.u8(0);
        MqttPacketType type = MqttPacketType.of(first >> 4);
        if (type == MqttPacketType.CONNECT) {
            int own = connectLevel(packet);
            return own == MqttVersion.V5
                    ? Mqtt5Decoder.decode(packet, header, type, first & 0x0f, keepSecrets, limits)
                    : Mqtt311Decoder.decode(packet, header, type, first & 0x0f, own < 0 ? level : own,
                    keepSecrets, limits);
        }
        return level == MqttVersion.V5
                ? Mqtt5Decoder.decode(packet, header, type, first & 0x0f, keepSecrets, limits)
                : Mqtt311Decoder.decode(packet, header, type, first & 0x0f, level, keepSecrets, limits);
    }

    /** The Protocol Level byte of a CONNECT packet (after the protocol name), or -1 when not there. */
    public static int connectLevel(ByteView packet) {
        int i = 1;
        while (i < packet.length() && i <= 4 && (packet.u8(i) & 0x80) != 0) {
            i++;
        }
        int at = i + 1;
        if (at + 2 > packet.length()) {
            return -1;
        }
        int nameLen = packet.u16(at);
        int levelAt = at + 2 + nameLen;
        return levelAt < packet.length() ? packet.u8(levelAt) : -1;
    }

    /**
     * Heuristic: does this client-to-server stream start with an MQTT CONNECT? True when the first bytes are a
     * CONNECT fixed header (0x10, flags 0) with a sane Remaining Length (at least 12 bytes: protocol name
     * "MQTT" (6), level, flags, keep alive (2) and a client identifier length (2); at most 268,435,455), the
     * protocol name is "MQTT" with level 4 or 5, or "MQIsdp" with level 3, and the Connect Flags have the
     * reserved bit clear, Will QoS below 3, Will QoS/Retain only with the Will Flag, and (level 4) a password
     * only with a user name. Only the first 14 bytes are needed; the rest of the packet is not required, so it
     * works on the first segment of a large CONNECT. Used to find MQTT on ports other than 1883.
     */
    public static boolean looksLikeConnect(ByteView stream) {
        if (stream.length() < 2 || stream.u8(0) != 0x10) {
            return false;
        }
        int remaining = 0;
        int i = 1;
        for (; ; i++) {
            if (i > 4 || i >= stream.length()) {
                return false;
            }
            int b = stream.u8(i);
            remaining |= (b & 0x7f) << (7 * (i - 1));
            if ((b & 0x80) == 0) {
                break;
            }
        }
        int at = i + 1;
        if (remaining < 12 || stream.length() < at + 2) {
            return false;
        }
        int nameLen = stream.u16(at);
        int level;
        if (nameLen == 4 && stream.length() >= at + 8 && stream.latin1(at + 2, 4).equals("MQTT")) {
            level = stream.u8(at + 6);
            if (level != MqttVersion.V311 && level != MqttVersion.V5) {
                return false;
            }
        } else if (nameLen == 6 && stream.length() >= at + 10 && stream.latin1(at + 2, 6).equals("MQIsdp")) {
            level = stream.u8(at + 8);
            if (level != MqttVersion.V31 || remaining < 14) {
                return false;
            }
        } else {
            return false;
        }
        int flagsAt = at + 2 + nameLen + 1;
        if (stream.length() <= flagsAt) {
            return false;
        }
        int flags = stream.u8(flagsAt);
        boolean will = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 3;
        if ((flags & 0x01) != 0 || willQos == 3 || (!will && (willQos != 0 || (flags & 0x20) != 0))) {
            return false;
        }
        return level != MqttVersion.V311 || (flags & 0x40) == 0 || (flags & 0x80) != 0;
    }

    /**
     * Checks the fixed header flags of a non-PUBLISH packet (3.1.1 §2.2.2 [MQTT-2.2.2-1/2], 5.0 §2.1.3).
     * MQTT 3.1 used QoS 1 (and DUP on retries) for PUBREL, SUBSCRIBE and UNSUBSCRIBE, and left the flags of
     * other packets unused: at level 3, or when the level is unknown, only the QoS of those three is checked.
     */
    public static boolean checkFlags(MqttReader r, MqttPacketType type, int flags, int level) {
        int required = type.requiredFlags();
        if (required < 0) {
            return true;
        }
        boolean lenient = level == MqttVersion.V31 || level == MqttVersion.UNKNOWN;
        if (lenient) {
            if (required == 0b0010 && (flags & 0b0110) != 0b0010) {
                return r.fail(MqttReason.BAD_FIXED_HEADER_FLAGS, 0, String.format(
                        "%s flags 0x%x: QoS must be 1", type, flags));
            }
            return true;
        }
        if (flags != required) {
            return r.fail(MqttReason.BAD_FIXED_HEADER_FLAGS, 0, String.format(
                    "%s flags 0x%x, must be 0x%x [MQTT-2.2.2-1]", type, flags, required));
        }
        return true;
    }

    /** A Topic Name must not be empty (unless allowEmpty) nor hold '+' or '#' (3.1.1 §4.7, [MQTT-3.3.2-2]). */
    public static boolean checkTopicName(MqttReader r, String topic, int at, boolean allowEmpty, String what) {
        if (topic == null) {
            return false;
        }
        if (topic.isEmpty() && !allowEmpty) {
            return r.fail(MqttReason.EMPTY_TOPIC, at, what + " is empty [MQTT-4.7.3-1]");
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return r.fail(MqttReason.WILDCARD_IN_TOPIC_NAME, at, what + " '" + topic
                    + "' holds a wildcard [MQTT-3.3.2-2]");
        }
        return true;
    }

    /** A Topic Filter must not be empty ([MQTT-4.7.3-1]). */
    public static boolean checkTopicFilter(MqttReader r, String filter, int at) {
        if (filter == null) {
            return false;
        }
        if (filter.isEmpty()) {
            return r.fail(MqttReason.EMPTY_TOPIC, at, "empty Topic Filter [MQTT-4.7.3-1]");
        }
        return true;
    }
}
