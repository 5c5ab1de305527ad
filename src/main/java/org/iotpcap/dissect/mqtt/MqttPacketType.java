package org.iotpcap.dissect.mqtt;

/** The 4-bit MQTT Control Packet type (3.1.1 §2.2.1, 5.0 §2.1.2). */
public enum MqttPacketType {
    RESERVED, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE,
    UNSUBACK, PINGREQ, PINGRESP, DISCONNECT, AUTH;

    private static final MqttPacketType[] BY_CODE = values();

    /** @param code 0..15 */
    public static MqttPacketType of(int code) {
        return BY_CODE[code & 0x0f];
    }

    public int code() {
        return ordinal();
    }

    /**
     * The fixed header flags the spec requires for this type (3.1.1 §2.2.2 table 2.2, 5.0 §2.1.3), or -1 for
     * PUBLISH whose flags carry DUP, QoS and RETAIN.
     */
    public int requiredFlags() {
        return switch (this) {
            case PUBLISH -> -1;
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE -> 0b0010;
            default -> 0;
        };
    }
}
