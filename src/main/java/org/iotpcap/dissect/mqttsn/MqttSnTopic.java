package org.iotpcap.dissect.mqttsn;

/** The topic a message names, in one of the forms of spec 5.3.11-5.3.12 (TopicIdType, spec 5.3.4). */
public sealed interface MqttSnTopic {

    MqttSnTopicIdType idType();

    /** A topic name (SUBSCRIBE/UNSUBSCRIBE with TopicIdType 0b00). */
    record Name(String name) implements MqttSnTopic {
        public MqttSnTopicIdType idType() {
            return MqttSnTopicIdType.NORMAL;
        }
    }

    /** A normal topic id, as assigned by REGISTER/REGACK or SUBACK. */
    record NormalId(int id) implements MqttSnTopic {
        public MqttSnTopicIdType idType() {
            return MqttSnTopicIdType.NORMAL;
        }
    }

    /** A pre-defined topic id. */
    record PredefinedId(int id) implements MqttSnTopic {
        public MqttSnTopicIdType idType() {
            return MqttSnTopicIdType.PREDEFINED;
        }
    }

    /** A short topic name: two characters, carried in the TopicId field. */
    record ShortName(String name) implements MqttSnTopic {
        public MqttSnTopicIdType idType() {
            return MqttSnTopicIdType.SHORT_NAME;
        }
    }

    /** TopicIdType 0b11 (reserved): the field's octets as hex. */
    record Reserved(String hex) implements MqttSnTopic {
        public MqttSnTopicIdType idType() {
            return MqttSnTopicIdType.RESERVED;
        }
    }
}
