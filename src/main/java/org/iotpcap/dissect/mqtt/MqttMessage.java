package org.iotpcap.dissect.mqtt;

import java.util.List;
import org.iotpcap.bytes.ByteView;

/**
 * One decoded MQTT control packet (3.1 / 3.1.1 / 5.0). Byte payloads are views on the packet's own bytes (the
 * {@link org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder} gives every packet its own array, so they stay
 * valid). Reason and return codes are
 * kept as numbers; {@code org.iotpcap.dissect.mqtt.v5.Mqtt5ReasonCodes} names them. Properties are empty
 * before 5.0.
 */
public sealed interface MqttMessage {
    MqttPacketType type();

    /** "CONNECT", "PUBLISH", ... */
    default String typeName() {
        return type().name();
    }

    /** Will of a CONNECT (3.1.1 §3.1.3.2-3, 5.0 §3.1.3.2-4); payloadText is null when not valid UTF-8. */
    record Will(MqttProperties properties, String topic, ByteView payload, String payloadText, int qos,
                boolean retain) {}

    /**
     * CONNECT. {@code flags} is the Connect Flags byte ({@link MqttConnectFlags}); password bytes are kept only when the decoder was
     * asked to keep secrets (otherwise {@code password} is null and only its presence and length are known).
     */
    record Connect(String protocolName, int protocolLevel, int flags, int keepAliveSeconds,
                   MqttProperties properties, String clientId, Will will, String username,
                   boolean passwordPresent, int passwordLength, ByteView password) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.CONNECT; }
        public boolean usernameFlag() { return (flags & MqttConnectFlags.USER_NAME) != 0; }
        public boolean passwordFlag() { return (flags & MqttConnectFlags.PASSWORD) != 0; }
        public boolean willRetain() { return (flags & MqttConnectFlags.WILL_RETAIN) != 0; }
        public int willQos() { return MqttConnectFlags.willQos(flags); }
        public boolean willFlag() { return (flags & MqttConnectFlags.WILL) != 0; }
        /** Clean Session (3.1, 3.1.1) or Clean Start (5.0). */
        public boolean cleanSession() { return (flags & MqttConnectFlags.CLEAN_SESSION) != 0; }
        public boolean reservedFlag() { return (flags & MqttConnectFlags.RESERVED) != 0; }
    }

    /**
     * CONNACK. {@code code} is the Connect Return Code (3.1, 3.1.1) or Reason Code (5.0).
     * {@code legacyFormat} is true for a 2-byte CONNACK on a 5.0 connection: a server of an older version
     * refusing the CONNECT with its own format (5.0 §3.1.2.2 [MQTT-3.1.2-2] anticipates such servers).
     */
    record Connack(int flags, int code, MqttProperties properties, boolean legacyFormat) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.CONNACK; }
        public boolean sessionPresent() { return (flags & 0x01) != 0; }
    }

    /**
     * PUBLISH. {@code flags} are the fixed header's (DUP, QoS, RETAIN: {@link MqttFixedHeader}). {@code topic} is the Topic Name as sent; {@code resolvedTopic} is the topic the message is
     * about: the same, or (5.0) the topic its Topic Alias was bound to in that direction of the connection,
     * or null when an empty topic carries an alias never bound. {@code packetId} is -1 for QoS 0.
     */
    record Publish(int flags, String topic, int packetId, MqttProperties properties, ByteView payload,
                   String payloadText, String resolvedTopic) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PUBLISH; }
        public boolean dup() { return (flags & MqttFixedHeader.FLAG_DUP) != 0; }
        public int qos() { return MqttFixedHeader.qos(flags); }
        public boolean retain() { return (flags & MqttFixedHeader.FLAG_RETAIN) != 0; }
        public int topicAlias() { return properties.topicAlias(); }
        /** The topic the message is published to: the alias's topic (5.0 3.3.2.3.4) when the packet's own is empty. */
        public String topicName() { return resolvedTopic != null ? resolvedTopic : topic; }

        public Publish withResolvedTopic(String t) {
            return new Publish(flags, topic, packetId, properties, payload, payloadText, t);
        }
    }

    /** PUBACK; {@code reasonCode} is 0 when absent (5.0 §3.4.2.1) and before 5.0. */
    record Puback(int packetId, int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PUBACK; }
    }

    record Pubrec(int packetId, int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PUBREC; }
    }

    record Pubrel(int packetId, int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PUBREL; }
    }

    record Pubcomp(int packetId, int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PUBCOMP; }
    }

    /** One topic filter of a SUBSCRIBE with its options byte (3.1.1: Requested QoS only). */
    record Subscription(String filter, int options) {
        public int qos() { return options & 0x03; }
        public boolean noLocal() { return (options & 0x04) != 0; }
        public boolean retainAsPublished() { return (options & 0x08) != 0; }
        public int retainHandling() { return (options >> 4) & 0x03; }
    }

    record Subscribe(int packetId, MqttProperties properties, List<Subscription> subscriptions)
            implements MqttMessage {
        public Subscribe { subscriptions = List.copyOf(subscriptions); }
        public MqttPacketType type() { return MqttPacketType.SUBSCRIBE; }
    }

    /** SUBACK: granted QoS / failure 0x80 (3.1.1) or reason codes (5.0), one per filter. */
    record Suback(int packetId, MqttProperties properties, List<Integer> codes) implements MqttMessage {
        public Suback { codes = List.copyOf(codes); }
        public MqttPacketType type() { return MqttPacketType.SUBACK; }
    }

    record Unsubscribe(int packetId, MqttProperties properties, List<String> filters) implements MqttMessage {
        public Unsubscribe { filters = List.copyOf(filters); }
        public MqttPacketType type() { return MqttPacketType.UNSUBSCRIBE; }
    }

    /** UNSUBACK: reason codes only in 5.0 (empty before). */
    record Unsuback(int packetId, MqttProperties properties, List<Integer> codes) implements MqttMessage {
        public Unsuback { codes = List.copyOf(codes); }
        public MqttPacketType type() { return MqttPacketType.UNSUBACK; }
    }

    record Pingreq() implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PINGREQ; }
    }

    record Pingresp() implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.PINGRESP; }
    }

    /** DISCONNECT; reason code 0 (Normal disconnection) when absent or before 5.0. */
    record Disconnect(int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.DISCONNECT; }
    }

    /** AUTH (5.0 only); reason code 0 (Success) when absent. */
    record Auth(int reasonCode, MqttProperties properties) implements MqttMessage {
        public MqttPacketType type() { return MqttPacketType.AUTH; }
    }
}
