package org.iotpcap.dissect.mqtt;

/**
 * MQTT protocol levels as carried in the CONNECT packet (3.1.1 §3.1.2.2, 5.0 §3.1.2.2).
 * {@link #UNKNOWN} stands for "no CONNECT seen on this connection": such packets are decoded with the 3.1.1
 * layout, as tshark 4.0 does with its default {@code mqtt.default_version: None}.
 */
public final class MqttVersion {
    private MqttVersion() {}

    public static final int UNKNOWN = 0;
    /** MQTT 3.1, protocol name "MQIsdp". */
    public static final int V31 = 3;
    /** MQTT 3.1.1, protocol name "MQTT". */
    public static final int V311 = 4;
    /** MQTT 5.0, protocol name "MQTT". */
    public static final int V5 = 5;

    public static String name(int level) {
        return switch (level) {
            case V31 -> "3.1";
            case V311 -> "3.1.1";
            case V5 -> "5.0";
            case UNKNOWN -> "unknown";
            default -> "level " + level;
        };
    }
}
