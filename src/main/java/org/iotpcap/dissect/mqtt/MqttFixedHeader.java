package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * The fixed header that opens every MQTT control packet (3.1.1 §2.2, 5.0 §2.1), and its one decoder, used
 * by the stream framer, by the single-packet decoder, by the CONNECT detector and, through the header they
 * are handed, by the version decoders.
 *
 * <pre>
 *  bit    7   6   5   4   3   2   1   0
 *       +---------------+---------------+
 * byte 1| packet type   | flags         |   PUBLISH flags: DUP (3), QoS (2-1), RETAIN (0)
 *       +---------------+---------------+
 * byte 2..5  Remaining Length: a Variable Byte Integer of 1 to 4 bytes ({@link MqttVariableByteInteger}),
 *            the bytes of the packet after the fixed header
 * </pre>
 *
 * {@link #decode} reads only the header: packet type, flags and the Remaining Length with its 4-byte limit.
 * Whether the type and flags are allowed depends on the protocol level, so {@link #violation(int)} and
 * {@link #problemAt(int)} judge that separately: packet type 0 is reserved, 15 (AUTH) too before 5.0; the
 * flags are those 3.1.1 table 2.2 / 5.0 table 2-2 fix for the type ({@link MqttPacketType#requiredFlags()}),
 * except that MQTT 3.1, which used QoS 1 (and DUP on retries) for PUBREL, SUBSCRIBE and UNSUBSCRIBE and left
 * the other flags unused, only has the QoS of those three checked (also when the level is unknown); a
 * PUBLISH must not have QoS 3 [MQTT-3.3.1-4]. Not checked: that the Remaining Length is minimally encoded
 * ([MQTT-1.5.5-1]; tshark does not check it either).
 *
 * @param type the packet type (byte 1, bits 7-4)
 * @param flags the flags (byte 1, bits 3-0)
 * @param remainingLength the Remaining Length, 0 to {@link MqttVariableByteInteger#MAX_VALUE}
 * @param length bytes of this fixed header: 2 to {@link #MAX_LENGTH}
 */
public record MqttFixedHeader(MqttPacketType type, int flags, int remainingLength, int length) {

    /** Most bytes a fixed header takes: byte 1 and a 4-byte Remaining Length. */
    public static final int MAX_LENGTH = 1 + MqttVariableByteInteger.MAX_BYTES;
    /** PUBLISH flag DUP (3.1.1 §3.3.1.1). */
    public static final int FLAG_DUP = 0x08;
    /** PUBLISH flags QoS (3.1.1 §3.3.1.2). */
    public static final int MASK_QOS = 0x06;
    /** PUBLISH flag RETAIN (3.1.1 §3.3.1.3). */
    public static final int FLAG_RETAIN = 0x01;

    /**
     * Reads the fixed header at the start of {@code in}, which may hold more than the header (or the packet).
     *
     * @return the header; {@code Truncated} when {@code in} ends inside it (needed = the bytes that would let
     *     it go on: at least 2, one more than {@code in} holds otherwise); {@code Malformed}
     *     {@link MqttReason#BAD_REMAINING_LENGTH} at offset 4 when the 4th Remaining Length byte has the
     *     continuation bit set (3.1.1 §2.2.3, 5.0 §1.5.5)
     */
    public static DecodeResult<MqttFixedHeader> decode(ByteView in) {
        if (in.length() < 2) {
            return DecodeResult.truncated(2, in.length());
        }
        int rl = MqttVariableByteInteger.decode(in, 1, in.length());
        if (rl == MqttVariableByteInteger.NEED_MORE) {
            return DecodeResult.truncated(in.length() + 1, in.length());
        }
        if (rl == MqttVariableByteInteger.TOO_LONG) {
            return DecodeResult.malformed(MqttReason.BAD_REMAINING_LENGTH, MAX_LENGTH - 1,
                    "Remaining Length has a continuation bit on its 4th byte");
        }
        int first = in.u8(0);
        return DecodeResult.ok(new MqttFixedHeader(MqttPacketType.of(first >> 4), first & 0x0f,
                MqttVariableByteInteger.value(rl), 1 + MqttVariableByteInteger.length(rl)));
    }

    /** Bytes of the whole packet: this header and the Remaining Length after it. */
    public int packetLength() {
        return length + remainingLength;
    }

    /** The QoS bits of PUBLISH flags (3.1.1 §3.3.1.2); meaningless for other types. */
    public int qos() {
        return qos(flags);
    }

    /** The QoS bits of PUBLISH flags {@code flags} (3.1.1 §3.3.1.2). */
    public static int qos(int flags) {
        return (flags & MASK_QOS) >> 1;
    }

    /**
     * The rule of 3.1.1 §2.2 / 5.0 §2.1 this header breaks at protocol {@code level}, or null when none (see
     * the class comment): {@link MqttReason#RESERVED_PACKET_TYPE}, {@link MqttReason#BAD_FIXED_HEADER_FLAGS}
     * [MQTT-2.2.2-1/2] or {@link MqttReason#BAD_QOS} [MQTT-3.3.1-4].
     *
     * @param level the protocol level the packet is decoded with ({@link MqttVersion})
     */
    public MqttReason violation(int level) {
        if (type == MqttPacketType.RESERVED || (type == MqttPacketType.AUTH && level != MqttVersion.V5)) {
            return MqttReason.RESERVED_PACKET_TYPE;
        }
        int required = type.requiredFlags();
        if (required < 0) {
            return qos() == 3 ? MqttReason.BAD_QOS : null;
        }
        boolean ok = lenientFlags(level)
                ? required != 0b0010 || (flags & MASK_QOS) == 0b0010
                : flags == required;
        return ok ? null : MqttReason.BAD_FIXED_HEADER_FLAGS;
    }

    /** True when {@link #violation(int)} finds nothing. */
    public boolean validAt(int level) {
        return violation(level) == null;
    }

    /** {@link #violation(int)} as the result of decoding the packet (offset 0, the header byte), or null. */
    public <T> DecodeResult<T> problemAt(int level) {
        MqttReason reason = violation(level);
        if (reason == null) {
            return null;
        }
        String detail = switch (reason) {
            case RESERVED_PACKET_TYPE -> "packet type " + type.code() + " is reserved"
                    + (level == MqttVersion.V5 ? "" : " in MQTT " + MqttVersion.name(level));
            case BAD_QOS -> "PUBLISH QoS 3 [MQTT-3.3.1-4]";
            default -> lenientFlags(level)
                    ? String.format("%s flags 0x%x: QoS must be 1", type, flags)
                    : String.format("%s flags 0x%x, must be 0x%x [MQTT-2.2.2-1]", type, flags, type.requiredFlags());
        };
        return DecodeResult.malformed(reason, 0, detail);
    }

    /** MQTT 3.1 (and an unknown level, which may be 3.1) only fixes the QoS of PUBREL, SUBSCRIBE, UNSUBSCRIBE. */
    private static boolean lenientFlags(int level) {
        return level == MqttVersion.V31 || level == MqttVersion.UNKNOWN;
    }
}
