package org.iotpcap.dissect.mqttsn;

/**
 * The Flags octet (spec 5.3.4), kept raw; each message type uses only some of its bits.
 *
 * <pre>
 *   7     6   5    4        3       2          1   0
 * +-----+-------+--------+------+--------------+-------------+
 * | DUP |  QoS  | Retain | Will | CleanSession | TopicIdType |
 * +-----+-------+--------+------+--------------+-------------+
 * </pre>
 */
public record MqttSnFlags(int raw) {
    public static final int MASK_DUP = 0x80;
    public static final int MASK_QOS = 0x60;
    public static final int MASK_RETAIN = 0x10;
    public static final int MASK_WILL = 0x08;
    public static final int MASK_CLEAN_SESSION = 0x04;
    public static final int MASK_TOPIC_ID_TYPE = 0x03;

    public MqttSnFlags {
        raw &= 0xff;
    }

    public boolean dup() {
        return (raw & MASK_DUP) != 0;
    }

    /** QoS 0, 1, 2, or -1 for 0b11 ("QoS -1": publish without connection, spec 6.8). */
    public int qos() {
        int q = qosBits();
        return q == 3 ? -1 : q;
    }

    /** The two QoS bits as they are (0-3). */
    public int qosBits() {
        return (raw & MASK_QOS) >> 5;
    }

    public boolean retain() {
        return (raw & MASK_RETAIN) != 0;
    }

    public boolean will() {
        return (raw & MASK_WILL) != 0;
    }

    public boolean cleanSession() {
        return (raw & MASK_CLEAN_SESSION) != 0;
    }

    public MqttSnTopicIdType topicIdType() {
        return MqttSnTopicIdType.of(raw);
    }
}
