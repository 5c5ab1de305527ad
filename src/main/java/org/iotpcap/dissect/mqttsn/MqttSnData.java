package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.Limits;
import org.iotpcap.bytes.ByteView;

/**
 * Opaque octets of a PUBLISH payload or a Will message: a private copy (up to
 * {@link Limits.MqttSn#maxStoredDataBytes()} octets), the true length, and the text when all of it is
 * well-formed UTF-8.
 *
 * @param bytes the stored octets (a copy; at most the limit)
 * @param length the octets the message carried
 * @param text the octets as a string when they were all stored and are valid UTF-8, else null
 */
public record MqttSnData(ByteView bytes, int length, String text) {

    static MqttSnData of(ByteView in, int maxStored) {
        int n = Math.min(in.length(), maxStored);
        ByteView copy = ByteView.of(in.toByteArray(0, n));
        String text = n == in.length() && in.isValidUtf8(0, n) ? in.utf8(0, n) : null;
        return new MqttSnData(copy, in.length(), text);
    }

    /** True when the stored octets are fewer than the message carried. */
    public boolean cut() {
        return bytes.length() < length;
    }
}
