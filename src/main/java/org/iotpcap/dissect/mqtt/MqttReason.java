package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Reason;

/** Why an MQTT control packet (or the rest of a stream) could not be decoded. */
public enum MqttReason implements Reason {
    /** Remaining Length has a continuation bit on its 4th byte (3.1.1 §2.2.3, 5.0 §1.5.5). */
    BAD_REMAINING_LENGTH,
    /** The packet declares more bytes than {@link Limits.Mqtt#maxPacketBytes()}. */
    PACKET_TOO_LARGE,
    /** Bytes of the TCP stream are missing (the packet in progress is lost; decoding resumes at a segment of whole packets). */
    STREAM_GAP,
    /** The stream ended inside a packet. */
    INCOMPLETE_AT_END,
    /** Packet type 0, or 15 (AUTH) before MQTT 5.0. */
    RESERVED_PACKET_TYPE,
    /** Fixed header flags other than the ones the spec fixes for the type (3.1.1 §2.2.2, 5.0 §2.1.3). */
    BAD_FIXED_HEADER_FLAGS,
    /** PUBLISH QoS 3, will QoS 3 or requested QoS 3 (3.1.1 §3.3.1.2, §3.1.2.6, §3.8.3.1). */
    BAD_QOS,
    /** A field runs past the end of the packet. */
    FIELD_OVERRUNS_PACKET,
    /** Bytes left after the last field, or a fixed-length packet of the wrong length. */
    BAD_PACKET_LENGTH,
    /** A UTF-8 string that is not well-formed, or holds U+0000 (3.1.1 §1.5.3, 5.0 §1.5.4). */
    BAD_UTF8,
    /** A reserved bit that must be 0 is 1 (CONNECT flags, CONNACK flags, subscription options). */
    RESERVED_BIT_SET,
    /** Will QoS or Will Retain set without the Will Flag (3.1.1 §3.1.2.6-7). */
    WILL_FLAGS_WITHOUT_WILL,
    /** Password flag without User Name flag in 3.1.1 (§3.1.2.9 [MQTT-3.1.2-22]). */
    PASSWORD_WITHOUT_USERNAME,
    /** SUBSCRIBE or UNSUBSCRIBE without a topic filter (3.1.1 §3.8.3, §3.10.3). */
    NO_TOPIC_FILTER,
    /** An empty topic name (3.1.1 §4.7.3; 5.0 allows it only with a Topic Alias) or topic filter. */
    EMPTY_TOPIC,
    /** A wildcard character in a PUBLISH topic name (3.1.1 §3.3.2.1 [MQTT-3.3.2-2]). */
    WILDCARD_IN_TOPIC_NAME,
    /** Subscription options Retain Handling 3 (5.0 §3.8.3.1). */
    BAD_RETAIN_HANDLING,
    /** A Variable Byte Integer longer than 4 bytes, or not minimal, inside the packet (5.0 §1.5.5). */
    BAD_VARIABLE_BYTE_INTEGER,
    /** The Property Length runs past the packet, or a property value runs past the Property Length. */
    BAD_PROPERTY_LENGTH,
    /** A property identifier that 5.0 §2.2.2.2 does not define. */
    UNKNOWN_PROPERTY,
    /** A property not allowed in this packet type (5.0 §2.2.2.2 table). */
    PROPERTY_NOT_ALLOWED,
    /** A property that may appear once appears again (5.0 §2.2.2.2 "Protocol Error"). */
    DUPLICATE_PROPERTY,
    /** A property value out of range (e.g. Topic Alias 0, Subscription Identifier 0, Maximum QoS 2). */
    BAD_PROPERTY_VALUE,
    /**
     * Not a fault of the packets: a connection without CONNECT whose first packets every MQTT version parses, so
     * its level could not be inferred before the hold limit; they were decoded with the 3.1.1 layout.
     */
    LEVEL_NOT_INFERRED,
    /** More properties than {@link Limits.Mqtt#maxProperties()} or more filters than maxTopicFilters. */
    TOO_MANY_ITEMS;
}
