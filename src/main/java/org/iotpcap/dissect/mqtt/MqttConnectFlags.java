package org.iotpcap.dissect.mqtt;

/**
 * The Connect Flags byte of a CONNECT (3.1.1 §3.1.2.3, 5.0 §3.1.2.3) and the rules on it, for both versions
 * and for the CONNECT detector.
 *
 * <pre>
 *  bit    7         6        5            4   3      2       1                  0
 *       +---------+--------+------------+----------+-------+------------------+----------+
 *       |User Name|Password|Will Retain | Will QoS |Will   |Clean Session     | Reserved |
 *       |Flag     |Flag    |            |          |Flag   |(5.0: Clean Start)|          |
 *       +---------+--------+------------+----------+-------+------------------+----------+
 * </pre>
 */
public final class MqttConnectFlags {
    private MqttConnectFlags() {}

    public static final int USER_NAME = 0x80;
    public static final int PASSWORD = 0x40;
    public static final int WILL_RETAIN = 0x20;
    public static final int MASK_WILL_QOS = 0x18;
    public static final int WILL = 0x04;
    public static final int CLEAN_SESSION = 0x02;
    public static final int RESERVED = 0x01;

    public static int willQos(int flags) {
        return (flags & MASK_WILL_QOS) >> 3;
    }

    /**
     * The first rule the Connect Flags break at protocol {@code level} (the CONNECT's own), or null, in this
     * order: the reserved bit must be 0 [MQTT-3.1.2-3] (unused, so not checked, in 3.1); Will QoS must not be
     * 3 (3.1.1 [MQTT-3.1.2-14], 5.0 [MQTT-3.1.2-12]); Will QoS and Will Retain must be 0 without the Will Flag
     * (3.1.1 [MQTT-3.1.2-13/15], 5.0 [MQTT-3.1.2-11/13]); in 3.1.1 only, no Password Flag without the User Name
     * Flag [MQTT-3.1.2-22] (5.0 §3.1.2.9 allows it, 3.1 does not say).
     *
     * @return {@link MqttReason#RESERVED_BIT_SET}, {@link MqttReason#BAD_QOS},
     *     {@link MqttReason#WILL_FLAGS_WITHOUT_WILL}, {@link MqttReason#PASSWORD_WITHOUT_USERNAME} or null
     */
    public static MqttReason violation(int flags, int level) {
        if (level != MqttVersion.V31 && (flags & RESERVED) != 0) {
            return MqttReason.RESERVED_BIT_SET;
        }
        if (willQos(flags) == 3) {
            return MqttReason.BAD_QOS;
        }
        if ((flags & WILL) == 0 && (willQos(flags) != 0 || (flags & WILL_RETAIN) != 0)) {
            return MqttReason.WILL_FLAGS_WITHOUT_WILL;
        }
        if (level == MqttVersion.V311 && (flags & (USER_NAME | PASSWORD)) == PASSWORD) {
            return MqttReason.PASSWORD_WITHOUT_USERNAME;
        }
        return null;
    }

    /** What a {@link #violation} means, with the spec's rule number for {@code level}. */
    public static String describe(MqttReason violation, int level) {
        boolean v5 = level == MqttVersion.V5;
        return switch (violation) {
            case RESERVED_BIT_SET -> "Connect Flags reserved bit set [MQTT-3.1.2-3]";
            case BAD_QOS -> v5 ? "Will QoS 3 [MQTT-3.1.2-12]" : "Will QoS 3 [MQTT-3.1.2-14]";
            case WILL_FLAGS_WITHOUT_WILL -> "Will QoS or Will Retain without Will Flag"
                    + (v5 ? " [MQTT-3.1.2-11/13]" : " [MQTT-3.1.2-13/15]");
            case PASSWORD_WITHOUT_USERNAME -> "Password Flag without User Name Flag [MQTT-3.1.2-22]";
            default -> throw new IllegalArgumentException("not a Connect Flags rule: " + violation);
        };
    }
}
