package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;

/** Test helpers: byte arrays written as ints, strings as length-prefixed UTF-8, decoding shortcuts. */
final class MqttBytes {
    private MqttBytes() {}

    static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    /** Concatenates int bytes and strings (a String is its ASCII bytes, no length prefix). */
    static byte[] cat(Object... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                o.write(i);
            } else if (p instanceof String s) {
                o.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else if (p instanceof byte[] a) {
                o.writeBytes(a);
            } else {
                throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return o.toByteArray();
    }

    static DecodeResult<MqttMessage> decode(byte[] packet, int level) {
        return MqttDecoder.decode(ByteView.of(packet), level, false, MqttLimits.DEFAULTS);
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
