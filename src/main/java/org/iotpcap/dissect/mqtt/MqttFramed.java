package org.iotpcap.dissect.mqtt;

/**
 * One control packet cut from a TCP stream, with where it lies in the capture.
 *
 * @param fromClient direction: true for client to server
 * @param startFrame frame holding the packet's first byte; {@code endFrame} the frame holding its last byte
 *     (tshark reports a reassembled packet in {@code endFrame})
 * @param streamOffset offset of the first byte in this direction's byte stream
 * @param totalLength bytes of the whole packet (fixed header included)
 * @param remainingLength the fixed header's Remaining Length
 * @param headerByte the packet's first byte (type and flags)
 * @param protocolLevel level the packet was decoded with: the connection's CONNECT level, the level inferred
 *     from its packets when no CONNECT was seen, or {@link MqttVersion#UNKNOWN} when neither (decoded as 3.1.1)
 * @param levelInferred true when {@code protocolLevel} was inferred (no CONNECT was seen; see
 *     {@link org.iotpcap.dissect.mqtt.decode.MqttLevelInference})
 */
public record MqttFramed(boolean fromClient, long startFrame, long endFrame, long startNanos, long endNanos,
                         long streamOffset, int totalLength, int remainingLength, int headerByte,
                         int protocolLevel, boolean levelInferred, MqttMessage message) {

    public String typeName() {
        return message.typeName();
    }
}
