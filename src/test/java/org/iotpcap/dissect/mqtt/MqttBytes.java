package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.iotpcap.testing.Packets;

/** Test helpers: short names for {@link Packets#octets} and {@link Packets#bytes}, decoding shortcuts. */
final class MqttBytes {
    private MqttBytes() {}

    static byte[] b(int... v) {
        return Packets.octets(v);
    }

    /** Concatenates int bytes and strings (a String is its ASCII bytes, no length prefix). */
    static byte[] cat(Object... parts) {
        return Packets.bytes(parts);
    }

    static DecodeResult<MqttMessage> decode(byte[] packet, int level) {
        return MqttDecoder.decode(ByteView.of(packet), level, false, Limits.Mqtt.DEFAULTS);
    }

    @SuppressWarnings("unchecked")
    static <T extends MqttMessage> T ok(byte[] packet, int level) {
        DecodeResult<MqttMessage> r = decode(packet, level);
        if (!(r instanceof DecodeResult.Decoded<MqttMessage> d)) {
            throw new AssertionError("expected a message, got " + r);
        }
        return (T) d.value();
    }

    static MqttMessage msg(byte[] packet, int level) {
        return ok(packet, level);
    }

    static MqttReason reason(byte[] packet, int level) {
        DecodeResult<MqttMessage> r = decode(packet, level);
        if (!(r instanceof DecodeResult.Malformed<MqttMessage> m)) {
            throw new AssertionError("expected malformed, got " + r);
        }
        return (MqttReason) m.reason();
    }
}
