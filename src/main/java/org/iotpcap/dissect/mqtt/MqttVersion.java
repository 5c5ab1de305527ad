package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;

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

    /**
     * The Protocol Level of a CONNECT, read where 3.1.1 §3.1.2.1-2 and 5.0 §3.1.2.1-2 put it: the byte after
     * the Protocol Name (a 2-byte length and that many bytes) that opens the variable header. The one place
     * that finds a connection's level: the framer, the single-packet decoder and the CONNECT detector all ask
     * here; the version decoders then read the variable header field by field.
     *
     * @param connect a CONNECT packet, or its first bytes
     * @param variableHeader where its variable header starts ({@link MqttFixedHeader#length()})
     * @return the level byte, or -1 when {@code connect} ends before it
     */
    public static int connectLevel(ByteView connect, int variableHeader) {
        if (variableHeader + 2 > connect.length()) {
            return -1;
        }
        int levelAt = variableHeader + 2 + connect.u16(variableHeader);
        return levelAt < connect.length() ? connect.u8(levelAt) : -1;
    }

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
