package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;

/**
 * The Variable Byte Integer of MQTT (5.0 §1.5.5; in 3.1.1 only the Remaining Length, §2.2.3): 1 to 4 bytes,
 * 7 value bits each, least significant group first, bit 7 set when another byte follows.
 *
 * <pre>
 *  bit    7   6   5   4   3   2   1   0
 *       +---+---------------------------+
 * byte n| C |   value bits 7n .. 7n+6   |   C = continuation: byte n+1 follows
 *       +---+---------------------------+
 * </pre>
 *
 * Encoded lengths (3.1.1 table 2.4, 5.0 table 1-1): 1 byte 0..127, 2 bytes 128..16,383, 3 bytes
 * 16,384..2,097,151, 4 bytes 2,097,152..268,435,455. A continuation bit on the 4th byte is malformed.
 *
 * <p>The one decoder of this encoding: {@link MqttFixedHeader} reads the Remaining Length with it, the packet
 * reader ({@code internal.MqttReader}) property lengths, identifiers and values. It returns a primitive, so
 * the per-packet path allocates nothing: a non-negative result packs the value (low 28 bits) and the number
 * of bytes it took ({@link #value(int)}, {@link #length(int)}), a negative one is {@link #NEED_MORE} or
 * {@link #TOO_LONG}. Whether the encoding is minimal ([MQTT-1.5.5-1]) is left to the caller
 * ({@link #isMinimal(int)}).
 */
public final class MqttVariableByteInteger {
    private MqttVariableByteInteger() {}

    /** At most 4 bytes (3.1.1 §2.2.3, 5.0 §1.5.5). */
    public static final int MAX_BYTES = 4;
    /** Largest value 4 bytes of 7 bits can hold: 0xFF 0xFF 0xFF 0x7F = 268,435,455. */
    public static final int MAX_VALUE = 268_435_455;
    /** The bytes end before a byte with the continuation bit clear (and before the 4th byte). */
    public static final int NEED_MORE = -1;
    /** The 4th byte has the continuation bit set. */
    public static final int TOO_LONG = -2;

    private static final int CONTINUATION = 0x80;
    private static final int VALUE_BITS = 0x7f;
    private static final int LENGTH_SHIFT = 28;

    /**
     * Decodes the integer starting at {@code at}, reading no byte at or after {@code end}.
     *
     * @return value and length packed (see the class comment), or {@link #NEED_MORE} or {@link #TOO_LONG}
     */
    public static int decode(ByteView in, int at, int end) {
        int value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (at + i >= end) {
                return NEED_MORE;
            }
            int b = in.u8(at + i);
            value |= (b & VALUE_BITS) << (7 * i);
            if ((b & CONTINUATION) == 0) {
                return value | (i + 1) << LENGTH_SHIFT;
            }
        }
        return TOO_LONG;
    }

    /** The value of a successful {@link #decode} result. */
    public static int value(int decoded) {
        return decoded & ((1 << LENGTH_SHIFT) - 1);
    }

    /** The bytes a successful {@link #decode} result took (1 to 4). */
    public static int length(int decoded) {
        return decoded >>> LENGTH_SHIFT;
    }

    /** True when a successful {@link #decode} result used the fewest bytes its value needs ([MQTT-1.5.5-1]). */
    public static boolean isMinimal(int decoded) {
        return length(decoded) == encodedLength(value(decoded));
    }

    /** Bytes the minimal encoding of {@code value} (0 to {@link #MAX_VALUE}) takes, per the table above. */
    public static int encodedLength(int value) {
        if (value < 128) {
            return 1;
        }
        if (value < 16_384) {
            return 2;
        }
        return value < 2_097_152 ? 3 : 4;
    }
}
