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
 * @param protocolLevel level the packet was decoded with: the connection's CONNECT level, or
 *     {@link MqttVersion#UNKNOWN} when no CONNECT was seen (decoded as 3.1.1)
 */
public record MqttFramed(boolean fromClient, long startFrame, long endFrame, long startNanos, long endNanos,
                         long streamOffset, int totalLength, int remainingLength, int headerByte,
                         int protocolLevel, MqttMessage message) {

    public String typeName() {
        return message.typeName();
    }
}
