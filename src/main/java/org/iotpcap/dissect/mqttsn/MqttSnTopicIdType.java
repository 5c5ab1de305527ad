package org.iotpcap.dissect.mqttsn;

/** The TopicIdType bits (1-0) of the Flags octet (spec 5.3.4). */
public enum MqttSnTopicIdType {
    /** 0b00: a normal topic id (or, in SUBSCRIBE/UNSUBSCRIBE, a topic name). */
    NORMAL,
    /** 0b01: a pre-defined topic id. */
    PREDEFINED,
    /** 0b10: a short topic name of two characters. */
    SHORT_NAME,
    /** 0b11: reserved. */
    RESERVED;

    private static final MqttSnTopicIdType[] VALUES = values();

    public static MqttSnTopicIdType of(int bits) {
        return VALUES[bits & 0x03];
    }

    public int bits() {
        return ordinal();
    }
}
