package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.dissect.mqtt.MqttBytes.b;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MqttFixedHeader} against the specification: the Remaining Length at every boundary of 3.1.1 table 2.4
 * (5.0 table 1-1), its 4-byte limit, truncation at every byte, and the flags of 3.1.1 table 2.2 (5.0 table
 * 2-2) per packet type and protocol level.
 */
class MqttFixedHeaderTest {

    /** 3.1.1 table 2.4: the first and last value of each encoded length, and the bytes the spec gives. */
    @ParameterizedTest(name = "Remaining Length {0} = {1}")
    @CsvSource({
            "0,         00",
            "127,       7f",
            "128,       80 01",
            "16383,     ff 7f",
            "16384,     80 80 01",
            "2097151,   ff ff 7f",
            "2097152,   80 80 80 01",
            "268435455, ff ff ff 7f"})
    void decode_remainingLength_tableBoundaries(int value, String hex) {
        byte[] rl = hex(hex);
        byte[] header = cat(0x30, rl); // PUBLISH, QoS 0; the header is read without the rest of the packet
        MqttFixedHeader h = MqttFixedHeader.decode(ByteView.of(header)).value();
        assertThat(h.remainingLength()).isEqualTo(value);
        assertThat(h.length()).isEqualTo(1 + rl.length);
        assertThat(h.packetLength()).isEqualTo(1 + rl.length + value);
        assertThat(MqttVariableByteInteger.encodedLength(value)).isEqualTo(rl.length);
        // bytes after the header (the variable header) are not read
        MqttFixedHeader withBody = MqttFixedHeader.decode(ByteView.of(cat(0x30, rl, 0xff, 0xff, 0xff))).value();
        assertThat(withBody).isEqualTo(h);
    }

    /** Every prefix of every boundary encoding ends inside the header: Truncated, never a value or Malformed. */
    @ParameterizedTest(name = "truncated {0}")
    @CsvSource({"00", "7f", "80 01", "ff 7f", "80 80 01", "ff ff 7f", "80 80 80 01", "ff ff ff 7f"})
    void decode_truncatedAtEveryByte(String hex) {
        byte[] header = cat(0x30, hex(hex));
        for (int have = 0; have < header.length; have++) {
            DecodeResult<MqttFixedHeader> r = MqttFixedHeader.decode(ByteView.of(header, 0, have));
            // 2 bytes at least; then one more than we have, since only the next byte tells whether it ends
            assertThat(r).as("first %d of %d bytes", have, header.length)
                    .isEqualTo(DecodeResult.truncated(Math.max(2, have + 1), have));
        }
    }

    /** 3.1.1 §2.2.3, 5.0 §1.5.5: at most 4 bytes; a continuation bit on the 4th is malformed, at that byte. */
    @Test
    void decode_fiveByteRemainingLength_malformed() {
        byte[] five = b(0x30, 0xff, 0xff, 0xff, 0xff, 0x7f);
        assertThat(MqttFixedHeader.decode(ByteView.of(five))).isEqualTo(DecodeResult.malformed(
                MqttReason.BAD_REMAINING_LENGTH, 4, "Remaining Length has a continuation bit on its 4th byte"));
        // known as soon as the 4th Remaining Length byte is there: no 5th byte needed
        assertThat(MqttFixedHeader.decode(ByteView.of(five, 0, 5))).isInstanceOf(DecodeResult.Malformed.class);
        assertThat(MqttFixedHeader.decode(ByteView.of(b(0x10, 0x80, 0x80, 0x80, 0x80, 0x00))))
                .isInstanceOf(DecodeResult.Malformed.class);
    }

    /** [MQTT-1.5.5-1] asks for the shortest encoding; the header does not check it, nor does tshark 4.0. */
    @Test
    void decode_nonMinimalRemainingLength_accepted() {
        MqttFixedHeader h = MqttFixedHeader.decode(ByteView.of(b(0xc0, 0x80, 0x00))).value();
        assertThat(h.remainingLength()).isZero();
        assertThat(h.length()).isEqualTo(3);
    }

    @Test
    void decode_typeAndFlags() {
        // 0x3b = 0011 1011: PUBLISH, DUP 1, QoS 01, RETAIN 1
        MqttFixedHeader h = MqttFixedHeader.decode(ByteView.of(b(0x3b, 0x02))).value();
        assertThat(h).isEqualTo(new MqttFixedHeader(MqttPacketType.PUBLISH, 0x0b, 2, 2));
        assertThat(h.qos()).isEqualTo(1);
        assertThat(h.flags() & MqttFixedHeader.FLAG_DUP).isNotZero();
        assertThat(h.flags() & MqttFixedHeader.FLAG_RETAIN).isNotZero();
        for (int type = 0; type < 16; type++) {
            MqttFixedHeader t = MqttFixedHeader.decode(ByteView.of(b(type << 4 | 0x05, 0x00))).value();
            assertThat(t.type().code()).isEqualTo(type);
            assertThat(t.flags()).isEqualTo(5);
        }
    }

    /** 3.1.1 table 2.2 / 5.0 table 2-2, written out: the flags each type must carry (PUBLISH: its own). */
    private static final Map<MqttPacketType, Integer> TABLE_2_2 = new EnumMap<>(Map.ofEntries(
            Map.entry(MqttPacketType.CONNECT, 0b0000), Map.entry(MqttPacketType.CONNACK, 0b0000),
            Map.entry(MqttPacketType.PUBACK, 0b0000), Map.entry(MqttPacketType.PUBREC, 0b0000),
            Map.entry(MqttPacketType.PUBREL, 0b0010), Map.entry(MqttPacketType.PUBCOMP, 0b0000),
            Map.entry(MqttPacketType.SUBSCRIBE, 0b0010), Map.entry(MqttPacketType.SUBACK, 0b0000),
            Map.entry(MqttPacketType.UNSUBSCRIBE, 0b0010), Map.entry(MqttPacketType.UNSUBACK, 0b0000),
            Map.entry(MqttPacketType.PINGREQ, 0b0000), Map.entry(MqttPacketType.PINGRESP, 0b0000),
            Map.entry(MqttPacketType.DISCONNECT, 0b0000), Map.entry(MqttPacketType.AUTH, 0b0000)));

    /** 3.1.1 and 5.0 fix the flags exactly [MQTT-2.2.2-1/2]; type 0 is reserved; AUTH exists only in 5.0. */
    @Test
    void flags_strictAt311And5() {
        for (int level : new int[] {MqttVersion.V311, MqttVersion.V5, 6}) {
            for (int first = 0; first < 256; first++) {
                MqttFixedHeader h = header(first);
                MqttReason expected;
                if (h.type() == MqttPacketType.RESERVED
                        || (h.type() == MqttPacketType.AUTH && level != MqttVersion.V5)) {
                    expected = MqttReason.RESERVED_PACKET_TYPE;
                } else if (h.type() == MqttPacketType.PUBLISH) {
                    expected = (first & 0x06) == 0x06 ? MqttReason.BAD_QOS : null;
                } else {
                    expected = h.flags() == TABLE_2_2.get(h.type()) ? null : MqttReason.BAD_FIXED_HEADER_FLAGS;
                }
                assertThat(h.violation(level)).as("0x%02x at level %d", first, level).isEqualTo(expected);
                assertThat(h.validAt(level)).isEqualTo(expected == null);
            }
        }
    }

    /**
     * MQTT 3.1 sent PUBREL, SUBSCRIBE and UNSUBSCRIBE with QoS 1 and DUP on retries, and left the flags of the
     * other packets unused: at level 3, and when the level is unknown, only that QoS is checked.
     */
    @Test
    void flags_lenientAt31AndUnknown() {
        for (int level : new int[] {MqttVersion.V31, MqttVersion.UNKNOWN}) {
            for (int first = 0; first < 256; first++) {
                MqttFixedHeader h = header(first);
                MqttReason expected = switch (h.type()) {
                    case RESERVED, AUTH -> MqttReason.RESERVED_PACKET_TYPE;
                    case PUBLISH -> (first & 0x06) == 0x06 ? MqttReason.BAD_QOS : null;
                    case PUBREL, SUBSCRIBE, UNSUBSCRIBE ->
                            (first & 0x06) == 0x02 ? null : MqttReason.BAD_FIXED_HEADER_FLAGS;
                    default -> null;
                };
                assertThat(h.violation(level)).as("0x%02x at level %d", first, level).isEqualTo(expected);
            }
        }
        assertThat(header(0x6a).validAt(MqttVersion.V31)).as("PUBREL with DUP, QoS 1").isTrue();
        assertThat(header(0x6a).validAt(MqttVersion.V311)).isFalse();
    }

    @Test
    void problemAt_details() {
        assertThat(header(0x41).problemAt(MqttVersion.V311)).isEqualTo(DecodeResult.malformed(
                MqttReason.BAD_FIXED_HEADER_FLAGS, 0, "PUBACK flags 0x1, must be 0x0 [MQTT-2.2.2-1]"));
        assertThat(header(0x80).problemAt(MqttVersion.V31)).isEqualTo(DecodeResult.malformed(
                MqttReason.BAD_FIXED_HEADER_FLAGS, 0, "SUBSCRIBE flags 0x0: QoS must be 1"));
        assertThat(header(0x36).problemAt(MqttVersion.V5)).isEqualTo(DecodeResult.malformed(
                MqttReason.BAD_QOS, 0, "PUBLISH QoS 3 [MQTT-3.3.1-4]"));
        assertThat(header(0xf0).problemAt(MqttVersion.V311)).isEqualTo(DecodeResult.malformed(
                MqttReason.RESERVED_PACKET_TYPE, 0, "packet type 15 is reserved in MQTT 3.1.1"));
        assertThat(header(0x00).problemAt(MqttVersion.V5)).isEqualTo(DecodeResult.malformed(
                MqttReason.RESERVED_PACKET_TYPE, 0, "packet type 0 is reserved"));
        assertThat(header(0x30).<MqttMessage>problemAt(MqttVersion.V311)).isNull();
    }

    /**
     * The packet decoders apply this rule before anything else: for every header byte and level, a packet
     * whose fixed header breaks it is malformed for that reason, at offset 0, whatever follows.
     */
    @Test
    void decoders_rejectWhatTheHeaderRuleRejects() {
        for (int level : new int[] {MqttVersion.UNKNOWN, MqttVersion.V31, MqttVersion.V311, MqttVersion.V5}) {
            for (int first = 0; first < 256; first++) {
                if (first >> 4 == MqttPacketType.CONNECT.code()) {
                    continue; // a CONNECT is decoded by its own level, not the connection's
                }
                MqttReason expected = header(first).violation(level);
                if (expected == null) {
                    continue;
                }
                DecodeResult<MqttMessage> r = MqttDecoder.decode(ByteView.of(b(first, 0x02, 0x00, 0x01)), level,
                        false, Limits.Mqtt.DEFAULTS);
                assertThat(r).as("0x%02x at level %d", first, level).isInstanceOfSatisfying(
                        DecodeResult.Malformed.class, m -> {
                            assertThat(m.reason()).isEqualTo(expected);
                            assertThat(m.offset()).isZero();
                        });
            }
        }
    }

    private static MqttFixedHeader header(int first) {
        return MqttFixedHeader.decode(ByteView.of(b(first, 0x00))).value();
    }

    private static byte[] hex(String spaced) {
        String[] parts = spaced.trim().split(" ");
        byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    private static byte[] cat(int first, byte[] rest, int... tail) {
        byte[] out = Arrays.copyOf(new byte[] {(byte) first}, 1 + rest.length + tail.length);
        System.arraycopy(rest, 0, out, 1, rest.length);
        for (int i = 0; i < tail.length; i++) {
            out[1 + rest.length + i] = (byte) tail[i];
        }
        return out;
    }
}
