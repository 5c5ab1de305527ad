package org.iotpcap.dissect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.dissect.mqtt.MqttBytes.b;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.internal.MqttReader;
import org.junit.jupiter.api.Test;

/** The Variable Byte Integer (5.0 §1.5.5), alone and as the packet reader reads it inside a packet. */
class MqttVariableByteIntegerTest {

    @Test
    void decode_valuesAndLengths() {
        // 5.0 table 1-1 boundaries, with a byte before (at) and after (not read) the integer
        int[][] cases = {
                {0, 0x00}, {127, 0x7f}, {128, 0x80, 0x01}, {16_383, 0xff, 0x7f}, {16_384, 0x80, 0x80, 0x01},
                {2_097_151, 0xff, 0xff, 0x7f}, {2_097_152, 0x80, 0x80, 0x80, 0x01},
                {268_435_455, 0xff, 0xff, 0xff, 0x7f}};
        for (int[] c : cases) {
            byte[] in = new byte[c.length + 1];
            in[0] = 0x55;
            for (int i = 1; i < c.length; i++) {
                in[i] = (byte) c[i];
            }
            in[c.length] = (byte) 0xff;
            int v = MqttVariableByteInteger.decode(ByteView.of(in), 1, in.length);
            assertThat(MqttVariableByteInteger.value(v)).as("value of %d", c[0]).isEqualTo(c[0]);
            assertThat(MqttVariableByteInteger.length(v)).isEqualTo(c.length - 1);
            assertThat(MqttVariableByteInteger.isMinimal(v)).isTrue();
            for (int end = 1; end < c.length; end++) {
                assertThat(MqttVariableByteInteger.decode(ByteView.of(in), 1, end))
                        .as("%d cut after %d bytes", c[0], end - 1).isEqualTo(MqttVariableByteInteger.NEED_MORE);
            }
        }
        assertThat(MqttVariableByteInteger.MAX_VALUE).isEqualTo(268_435_455);
    }

    @Test
    void decode_tooLongAndNotMinimal() {
        assertThat(MqttVariableByteInteger.decode(ByteView.of(b(0x80, 0x80, 0x80, 0x80, 0x01)), 0, 5))
                .isEqualTo(MqttVariableByteInteger.TOO_LONG);
        // 0x80 0x00 is 0 in two bytes: decoded, but not minimal [MQTT-1.5.5-1]
        int v = MqttVariableByteInteger.decode(ByteView.of(b(0x80, 0x00)), 0, 2);
        assertThat(MqttVariableByteInteger.value(v)).isZero();
        assertThat(MqttVariableByteInteger.isMinimal(v)).isFalse();
        int w = MqttVariableByteInteger.decode(ByteView.of(b(0xff, 0x80, 0x00)), 0, 3); // 127 in three bytes
        assertThat(MqttVariableByteInteger.value(w)).isEqualTo(127);
        assertThat(MqttVariableByteInteger.isMinimal(w)).isFalse();
    }

    @Test
    void reader_varint() {
        MqttReader ok = new MqttReader(ByteView.of(b(0x00, 0xc8, 0x01, 0x07)), 1);
        assertThat(ok.varint("Property Length")).isEqualTo(200);
        assertThat(ok.pos()).isEqualTo(3);

        MqttReader cut = new MqttReader(ByteView.of(b(0x00, 0x80, 0x80)), 1);
        assertThat(cut.varint("Property Length")).isZero();
        assertThat(cut.<Object>failure()).as("an overrun at the byte that is missing").isEqualTo(
                DecodeResult.malformed(MqttReason.FIELD_OVERRUNS_PACKET, 3, "Property Length needs 1 bytes, 0 left"));

        MqttReader longer = new MqttReader(ByteView.of(b(0x00, 0x80, 0x80, 0x80, 0x80, 0x01)), 1);
        longer.varint("Subscription Identifier");
        assertThat(longer.<Object>failure()).isEqualTo(DecodeResult.malformed(MqttReason.BAD_VARIABLE_BYTE_INTEGER,
                1, "Subscription Identifier has a continuation bit on its 4th byte"));

        MqttReader padded = new MqttReader(ByteView.of(b(0x00, 0x85, 0x00)), 1);
        padded.varint("Property Identifier");
        assertThat(padded.<Object>failure()).isEqualTo(DecodeResult.malformed(MqttReason.BAD_VARIABLE_BYTE_INTEGER,
                1, "Property Identifier is not minimally encoded"));
    }
}
