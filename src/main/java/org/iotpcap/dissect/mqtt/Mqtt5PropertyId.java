package org.iotpcap.dissect.mqtt;

import static org.iotpcap.dissect.mqtt.MqttPropertyType.*;

/**
 * The MQTT 5.0 properties (§2.2.2.2, table of Property Identifiers), their types and the packets that may
 * carry them. {@code WILL} stands for the Will Properties of a CONNECT. It lives beside {@link MqttProperties}
 * rather than in {@code v5}, so that the version-neutral message types can name a property (the Topic Alias
 * of {@link MqttProperties#topicAlias()}) without depending on the 5.0 decoder.
 */
public enum Mqtt5PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, "Payload Format Indicator", BYTE, Ctx.PUBLISH | Ctx.WILL),
    MESSAGE_EXPIRY_INTERVAL(0x02, "Message Expiry Interval", FOUR_BYTE_INTEGER, Ctx.PUBLISH | Ctx.WILL),
    CONTENT_TYPE(0x03, "Content Type", UTF8_STRING, Ctx.PUBLISH | Ctx.WILL),
    RESPONSE_TOPIC(0x08, "Response Topic", UTF8_STRING, Ctx.PUBLISH | Ctx.WILL),
    CORRELATION_DATA(0x09, "Correlation Data", BINARY_DATA, Ctx.PUBLISH | Ctx.WILL),
    SUBSCRIPTION_IDENTIFIER(0x0B, "Subscription Identifier", VARIABLE_BYTE_INTEGER, Ctx.PUBLISH | Ctx.SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, "Session Expiry Interval", FOUR_BYTE_INTEGER,
            Ctx.CONNECT | Ctx.CONNACK | Ctx.DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, "Assigned Client Identifier", UTF8_STRING, Ctx.CONNACK),
    SERVER_KEEP_ALIVE(0x13, "Server Keep Alive", TWO_BYTE_INTEGER, Ctx.CONNACK),
    AUTHENTICATION_METHOD(0x15, "Authentication Method", UTF8_STRING, Ctx.CONNECT | Ctx.CONNACK | Ctx.AUTH),
    AUTHENTICATION_DATA(0x16, "Authentication Data", BINARY_DATA, Ctx.CONNECT | Ctx.CONNACK | Ctx.AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, "Request Problem Information", BYTE, Ctx.CONNECT),
    WILL_DELAY_INTERVAL(0x18, "Will Delay Interval", FOUR_BYTE_INTEGER, Ctx.WILL),
    REQUEST_RESPONSE_INFORMATION(0x19, "Request Response Information", BYTE, Ctx.CONNECT),
    RESPONSE_INFORMATION(0x1A, "Response Information", UTF8_STRING, Ctx.CONNACK),
    SERVER_REFERENCE(0x1C, "Server Reference", UTF8_STRING, Ctx.CONNACK | Ctx.DISCONNECT),
    REASON_STRING(0x1F, "Reason String", UTF8_STRING, Ctx.CONNACK | Ctx.PUBACK | Ctx.PUBREC | Ctx.PUBREL
            | Ctx.PUBCOMP | Ctx.SUBACK | Ctx.UNSUBACK | Ctx.DISCONNECT | Ctx.AUTH),
    RECEIVE_MAXIMUM(0x21, "Receive Maximum", TWO_BYTE_INTEGER, Ctx.CONNECT | Ctx.CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, "Topic Alias Maximum", TWO_BYTE_INTEGER, Ctx.CONNECT | Ctx.CONNACK),
    TOPIC_ALIAS(0x23, "Topic Alias", TWO_BYTE_INTEGER, Ctx.PUBLISH),
    MAXIMUM_QOS(0x24, "Maximum QoS", BYTE, Ctx.CONNACK),
    RETAIN_AVAILABLE(0x25, "Retain Available", BYTE, Ctx.CONNACK),
    USER_PROPERTY(0x26, "User Property", UTF8_STRING_PAIR, Ctx.ALL),
    MAXIMUM_PACKET_SIZE(0x27, "Maximum Packet Size", FOUR_BYTE_INTEGER, Ctx.CONNECT | Ctx.CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, "Wildcard Subscription Available", BYTE, Ctx.CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, "Subscription Identifier Available", BYTE, Ctx.CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, "Shared Subscription Available", BYTE, Ctx.CONNACK);

    /** Bit masks of the contexts a property may appear in: bit n = packet type n, bit 16 = Will Properties. */
    public static final class Ctx {
        private Ctx() {}

        public static final int CONNECT = 1 << 1, CONNACK = 1 << 2, PUBLISH = 1 << 3, PUBACK = 1 << 4,
                PUBREC = 1 << 5, PUBREL = 1 << 6, PUBCOMP = 1 << 7, SUBSCRIBE = 1 << 8, SUBACK = 1 << 9,
                UNSUBSCRIBE = 1 << 10, UNSUBACK = 1 << 11, DISCONNECT = 1 << 14, AUTH = 1 << 15, WILL = 1 << 16;
        public static final int ALL = CONNECT | CONNACK | PUBLISH | PUBACK | PUBREC | PUBREL | PUBCOMP | SUBSCRIBE
                | SUBACK | UNSUBSCRIBE | UNSUBACK | DISCONNECT | AUTH | WILL;

        /** The context bit of a packet type's own property list. */
        public static int of(MqttPacketType type) {
            return 1 << type.code();
        }
    }

    private static final Mqtt5PropertyId[] BY_ID = new Mqtt5PropertyId[0x80];

    static {
        for (Mqtt5PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    public final int id;
    public final String label;
    public final MqttPropertyType type;
    final int contexts;

    Mqtt5PropertyId(int id, String label, MqttPropertyType type, int contexts) {
        this.id = id;
        this.label = label;
        this.type = type;
        this.contexts = contexts;
    }

    /** The property with this identifier, or null when 5.0 defines none. */
    public static Mqtt5PropertyId of(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    public boolean allowedIn(int contextBit) {
        return (contexts & contextBit) != 0;
    }
}
