package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.ByteView;

/**
 * One MQTT-SN v1.2 message (spec section 5.4), or the Forwarder Encapsulation (spec 5.5) around one.
 * Immutable; byte fields are private copies. Every record starts with its {@link MqttSnHeader}.
 */
public sealed interface MqttSnMessage {

    /** Message type octets (spec 5.3.1, Table 3). */
    int ADVERTISE = 0x00, SEARCHGW = 0x01, GWINFO = 0x02, CONNECT = 0x04, CONNACK = 0x05,
            WILLTOPICREQ = 0x06, WILLTOPIC = 0x07, WILLMSGREQ = 0x08, WILLMSG = 0x09, REGISTER = 0x0A,
            REGACK = 0x0B, PUBLISH = 0x0C, PUBACK = 0x0D, PUBCOMP = 0x0E, PUBREC = 0x0F, PUBREL = 0x10,
            SUBSCRIBE = 0x12, SUBACK = 0x13, UNSUBSCRIBE = 0x14, UNSUBACK = 0x15, PINGREQ = 0x16,
            PINGRESP = 0x17, DISCONNECT = 0x18, WILLTOPICUPD = 0x1A, WILLTOPICRESP = 0x1B, WILLMSGUPD = 0x1C,
            WILLMSGRESP = 0x1D, ENCAPSULATED = 0xFE;

    MqttSnHeader header();

    /** The MsgType octet. */
    default int type() {
        return header().type();
    }

    /** The spec's upper-case name ("PUBLISH"); "ENCAPSULATED" for 0xFE, "UNKNOWN" for reserved types. */
    default String typeName() {
        return typeName(header().type());
    }

    /** The spec's name of a MsgType value; "UNKNOWN" for the reserved ones. */
    static String typeName(int type) {
        return switch (type) {
            case ADVERTISE -> "ADVERTISE";
            case SEARCHGW -> "SEARCHGW";
            case GWINFO -> "GWINFO";
            case CONNECT -> "CONNECT";
            case CONNACK -> "CONNACK";
            case WILLTOPICREQ -> "WILLTOPICREQ";
            case WILLTOPIC -> "WILLTOPIC";
            case WILLMSGREQ -> "WILLMSGREQ";
            case WILLMSG -> "WILLMSG";
            case REGISTER -> "REGISTER";
            case REGACK -> "REGACK";
            case PUBLISH -> "PUBLISH";
            case PUBACK -> "PUBACK";
            case PUBCOMP -> "PUBCOMP";
            case PUBREC -> "PUBREC";
            case PUBREL -> "PUBREL";
            case SUBSCRIBE -> "SUBSCRIBE";
            case SUBACK -> "SUBACK";
            case UNSUBSCRIBE -> "UNSUBSCRIBE";
            case UNSUBACK -> "UNSUBACK";
            case PINGREQ -> "PINGREQ";
            case PINGRESP -> "PINGRESP";
            case DISCONNECT -> "DISCONNECT";
            case WILLTOPICUPD -> "WILLTOPICUPD";
            case WILLTOPICRESP -> "WILLTOPICRESP";
            case WILLMSGUPD -> "WILLMSGUPD";
            case WILLMSGRESP -> "WILLMSGRESP";
            case ENCAPSULATED -> "ENCAPSULATED";
            default -> "UNKNOWN";
        };
    }

    /** 5.4.2: GwId, Duration (seconds until the next ADVERTISE). */
    record Advertise(MqttSnHeader header, int gwId, int duration) implements MqttSnMessage {}

    /** 5.4.3: Radius. */
    record SearchGw(MqttSnHeader header, int radius) implements MqttSnMessage {}

    /** 5.4.4: GwId, and GwAdd (empty when sent by a gateway). */
    record GwInfo(MqttSnHeader header, int gwId, ByteView gwAdd) implements MqttSnMessage {}

    /** 5.4.5: Flags (Will, CleanSession), ProtocolId, Duration (keep-alive seconds), ClientId. */
    record Connect(MqttSnHeader header, MqttSnFlags flags, int protocolId, int duration, String clientId)
            implements MqttSnMessage {}

    /** 5.4.6: ReturnCode. */
    record ConnAck(MqttSnHeader header, int returnCode) implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /** 5.4.7. */
    record WillTopicReq(MqttSnHeader header) implements MqttSnMessage {}

    /**
     * 5.4.8: Flags (QoS, Retain), WillTopic. The empty form (2 octets, no Flags, no topic) deletes the Will:
     * then {@code flags} is null and {@code willTopic} is "".
     */
    record WillTopic(MqttSnHeader header, MqttSnFlags flags, String willTopic) implements MqttSnMessage {
        public boolean empty() {
            return flags == null;
        }
    }

    /** 5.4.9. */
    record WillMsgReq(MqttSnHeader header) implements MqttSnMessage {}

    /** 5.4.10: WillMsg. */
    record WillMsg(MqttSnHeader header, MqttSnData willMsg) implements MqttSnMessage {}

    /** 5.4.11: TopicId (0x0000 from a client), MsgId, TopicName. */
    record Register(MqttSnHeader header, int topicId, int msgId, String topicName) implements MqttSnMessage {}

    /** 5.4.12: TopicId, MsgId, ReturnCode. */
    record RegAck(MqttSnHeader header, int topicId, int msgId, int returnCode) implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /** 5.4.13: Flags (DUP, QoS, Retain, TopicIdType), TopicId (or short name), MsgId, Data. */
    record Publish(MqttSnHeader header, MqttSnFlags flags, int topicId, int msgId, MqttSnData data)
            implements MqttSnMessage {
        /** The topic field read as its TopicIdType says. */
        public MqttSnTopic topic() {
            return MqttSnDecoder.topicOfId(flags.topicIdType(), topicId);
        }

        /** The two characters of a short topic name, or null when TopicIdType is not 0b10. */
        public String shortTopicName() {
            return topic() instanceof MqttSnTopic.ShortName s ? s.name() : null;
        }
    }

    /** 5.4.14: TopicId, MsgId, ReturnCode. */
    record PubAck(MqttSnHeader header, int topicId, int msgId, int returnCode) implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /** 5.4.15: MsgId. */
    record PubComp(MqttSnHeader header, int msgId) implements MqttSnMessage {}

    /** 5.4.15: MsgId. */
    record PubRec(MqttSnHeader header, int msgId) implements MqttSnMessage {}

    /** 5.4.15: MsgId. */
    record PubRel(MqttSnHeader header, int msgId) implements MqttSnMessage {}

    /** 5.4.16: Flags (DUP, QoS, TopicIdType), MsgId, TopicName or TopicId. */
    record Subscribe(MqttSnHeader header, MqttSnFlags flags, int msgId, MqttSnTopic topic)
            implements MqttSnMessage {}

    /** 5.4.17: Flags (QoS), TopicId, MsgId, ReturnCode. */
    record SubAck(MqttSnHeader header, MqttSnFlags flags, int topicId, int msgId, int returnCode)
            implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /** 5.4.18: Flags (TopicIdType), MsgId, TopicName or TopicId. */
    record Unsubscribe(MqttSnHeader header, MqttSnFlags flags, int msgId, MqttSnTopic topic)
            implements MqttSnMessage {}

    /** 5.4.19: MsgId. */
    record UnsubAck(MqttSnHeader header, int msgId) implements MqttSnMessage {}

    /** 5.4.20: ClientId, present only from a sleeping client ("" when absent, see {@link #hasClientId()}). */
    record PingReq(MqttSnHeader header, String clientId) implements MqttSnMessage {
        public boolean hasClientId() {
            return header.bodyLength() > 0;
        }
    }

    /** 5.4.21. */
    record PingResp(MqttSnHeader header) implements MqttSnMessage {}

    /** 5.4.22: Duration (sleep seconds), present only from a client going to sleep; -1 when absent. */
    record Disconnect(MqttSnHeader header, int duration) implements MqttSnMessage {}

    /** 5.4.23: Flags (QoS, Retain), WillTopic; the empty form as in {@link WillTopic}. */
    record WillTopicUpd(MqttSnHeader header, MqttSnFlags flags, String willTopic) implements MqttSnMessage {
        public boolean empty() {
            return flags == null;
        }
    }

    /** 5.4.24: ReturnCode. */
    record WillTopicResp(MqttSnHeader header, int returnCode) implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /** 5.4.25: WillMsg. */
    record WillMsgUpd(MqttSnHeader header, MqttSnData willMsg) implements MqttSnMessage {}

    /** 5.4.26: ReturnCode. */
    record WillMsgResp(MqttSnHeader header, int returnCode) implements MqttSnMessage {
        public MqttSnReturnCode returnCodeName() {
            return MqttSnReturnCode.of(returnCode);
        }
    }

    /**
     * 5.5: Forwarder Encapsulation: Ctrl (bits 1-0: Radius), Wireless Node Id (the rest of the header,
     * variable length), then the encapsulated message.
     */
    record Encapsulated(MqttSnHeader header, int ctrl, ByteView wirelessNodeId, MqttSnMessage message)
            implements MqttSnMessage {
        public int radius() {
            return ctrl & 0x03;
        }

        /** The Wireless Node Id as an unsigned big-endian number when it has 1 to 7 octets, else -1. */
        public long wirelessNodeIdValue() {
            int n = wirelessNodeId.length();
            if (n < 1 || n > 7) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | wirelessNodeId.u8(i);
            }
            return v;
        }
    }

    /** A reserved or unknown MsgType: the octets after the header, undecoded. */
    record Unknown(MqttSnHeader header, ByteView body) implements MqttSnMessage {}
}
