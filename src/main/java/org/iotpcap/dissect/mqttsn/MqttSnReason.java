package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Reason;

/** Why an MQTT-SN v1.2 datagram or message is malformed. */
public enum MqttSnReason implements Reason {
    /** The datagram holds no byte at all: not even one message header. */
    EMPTY_DATAGRAM,
    /** Fewer octets left than the Length field needs (1 octet, or 3 for the 0x01 form, spec 5.2.1) plus MsgType. */
    TOO_SHORT,
    /** The Length value is smaller than its own header: 0, or below 4 in the 3-octet form (spec 5.2.1). */
    LENGTH_TOO_SMALL,
    /** The Length value runs past the end of the datagram as sent on the wire. */
    LENGTH_EXCEEDS_DATAGRAM,
    /** The Length does not fit the message type's fixed or minimum layout (spec 5.4). */
    BAD_LENGTH_FOR_TYPE,
    /** A Forwarder Encapsulation (spec 5.5) with no encapsulated MQTT-SN message after its header. */
    ENCAPSULATED_MESSAGE_MISSING,
    /** Forwarder Encapsulations nested deeper than {@link Limits.MqttSn#maxEncapsulationDepth()}. */
    ENCAPSULATION_TOO_DEEP,
    /** More messages in one datagram than {@link Limits.MqttSn#maxMessagesPerDatagram()}. */
    TOO_MANY_MESSAGES
}
