package org.iotpcap.dissect.mqtt;

/** Receives what an {@link org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder} cuts and decodes. */
public interface MqttSink {
    void onMessage(MqttFramed m);

    /**
     * A packet that could not be decoded, or a problem that stops the direction (bad Remaining Length, gap,
     * packet over the size limit: reported once per direction).
     *
     * @param frame the frame where the packet completed (or where the problem was seen)
     * @param offset offset in this direction's byte stream where the problem lies
     */
    void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail);
}
