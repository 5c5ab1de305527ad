package org.iotpcap.dissect.mqtt.v5;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId.Ctx;
import org.iotpcap.dissect.mqtt.MqttConnectFlags;
import org.iotpcap.dissect.mqtt.MqttFixedHeader;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.dissect.mqtt.internal.MqttReader;

/**
 * Variable headers and payloads of MQTT 5.0 (OASIS Standard, 7 March 2019), properties by
 * {@link Mqtt5Properties}.
 *
 * <p>Checked (5.0 section): fixed header flags (§2.1.3), CONNECT reserved flag [MQTT-3.1.2-3], Will QoS 3
 * [MQTT-3.1.2-12], Will QoS/Retain without Will Flag [MQTT-3.1.2-11/13], PUBLISH QoS 3 [MQTT-3.3.1-4], Topic
 * Name with a wildcard [MQTT-3.3.2-2] or empty without a Topic Alias (§3.3.2.1, §3.3.2.3.4), subscription
 * options reserved bits [MQTT-3.8.3-5], QoS 3 and Retain Handling 3 (§3.8.3.1), SUBSCRIBE/UNSUBSCRIBE without
 * a filter [MQTT-3.8.3-2, MQTT-3.10.3-2], short forms of PUBACK..PUBCOMP (§3.4.2.1: Remaining Length 2 means
 * Reason Code 0, 3 means no properties), DISCONNECT (§3.14.2.1) and AUTH (§3.15.2.1), UTF-8 strings.
 * A 2-byte CONNACK is taken as the refusal of a server that speaks an older version
 * ({@link Connack#legacyFormat()}). Not checked: Packet Identifier non-zero, reason code values (kept as
 * numbers), Topic Alias against Topic Alias Maximum.
 */
public final class Mqtt5Decoder {
    private Mqtt5Decoder() {}

    /**
     * @param h the packet's fixed header, as {@link MqttFixedHeader#decode} read it
     * @param packet exactly the packet ({@code h.packetLength()} bytes)
     */
    public static DecodeResult<MqttMessage> decode(MqttFixedHeader h, ByteView packet, boolean keepSecrets,
                                                   Limits.Mqtt limits) {
        DecodeResult<MqttMessage> bad = h.problemAt(MqttVersion.V5);
        if (bad != null) {
            return bad;
        }
        MqttPacketType type = h.type();
        int header = h.length();
        MqttReader r = new MqttReader(packet, header);
        int ctx = Ctx.of(type);
        int len = h.remainingLength();
        MqttMessage m = switch (type) {
            case CONNECT -> connect(r, keepSecrets, limits);
            case CONNACK -> {
                int f = r.u8("Connect Acknowledge Flags");
                int code = r.u8("Connect Reason Code");
                if (r.ok() && (f & 0xfe) != 0) {
                    r.fail(MqttReason.RESERVED_BIT_SET, header, String.format(
                            "CONNACK flags 0x%02x: bits 7-1 are reserved [MQTT-3.2.2-1]", f));
                }
                if (len == 2) {
                    yield new Connack(f, code, MqttProperties.NONE, true);
                }
                MqttProperties p = Mqtt5Properties.read(r, ctx, limits);
                r.expectEnd("CONNACK");
                yield new Connack(f, code, p, false);
            }
            case PUBLISH -> publish(r, h, limits);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> {
                int id = r.u16("Packet Identifier");
                int code = len > 2 ? r.u8("Reason Code") : 0;
                MqttProperties p = len > 3 ? Mqtt5Properties.read(r, ctx, limits) : MqttProperties.NONE;
                r.expectEnd(type.name());
                yield switch (type) {
                    case PUBACK -> new Puback(id, code, p);
                    case PUBREC -> new Pubrec(id, code, p);
                    case PUBREL -> new Pubrel(id, code, p);
                    default -> new Pubcomp(id, code, p);
                };
            }
            case SUBSCRIBE -> subscribe(r, limits);
            case SUBACK, UNSUBACK -> {
                int id = r.u16("Packet Identifier");
                MqttProperties p = Mqtt5Properties.read(r, ctx, limits);
                List<Integer> codes = new ArrayList<>();
                while (r.remaining() > 0) {
                    codes.add(r.u8("Reason Code"));
                }
                yield type == MqttPacketType.SUBACK ? new Suback(id, p, codes) : new Unsuback(id, p, codes);
            }
            case UNSUBSCRIBE -> {
                int id = r.u16("Packet Identifier");
                MqttProperties p = Mqtt5Properties.read(r, ctx, limits);
                yield new Unsubscribe(id, p, r.unsubscribeFilters(limits.maxTopicFilters()));
            }
            case PINGREQ -> {
                r.expectEnd("PINGREQ");
                yield new Pingreq();
            }
            case PINGRESP -> {
                r.expectEnd("PINGRESP");
                yield new Pingresp();
            }
            case DISCONNECT, AUTH -> {
                int code = len > 0 ? r.u8("Reason Code") : 0;
                MqttProperties p = len > 1 ? Mqtt5Properties.read(r, ctx, limits) : MqttProperties.NONE;
                r.expectEnd(type.name());
                yield type == MqttPacketType.DISCONNECT ? new Disconnect(code, p) : new Auth(code, p);
            }
            case RESERVED -> throw new IllegalStateException("reserved: rejected by problemAt");
        };
        return r.ok() ? DecodeResult.ok(m) : r.failure();
    }

    /*
     * CONNECT (5.0 §3.1): Protocol Name, Protocol Level, Connect Flags, Keep Alive, Properties; payload:
     * Client Identifier, [Will Properties, Will Topic, Will Payload], [User Name], [Password].
     * Connect Flags: bit 7 User Name | 6 Password | 5 Will Retain | 4-3 Will QoS | 2 Will Flag | 1 Clean Start
     * | 0 Reserved. Unlike 3.1.1, a Password without a User Name is allowed (§3.1.2.9).
     */
    private static MqttMessage connect(MqttReader r, boolean keepSecrets, Limits.Mqtt limits) {
        String name = r.utf8("Protocol Name");
        int level = r.u8("Protocol Level");
        int flags = r.u8("Connect Flags");
        int keepAlive = r.u16("Keep Alive");
        if (!r.ok()) {
            return null;
        }
        int flagsAt = r.pos() - 3;
        MqttReason badFlags = MqttConnectFlags.violation(flags, MqttVersion.V5);
        if (badFlags != null) {
            r.fail(badFlags, flagsAt, MqttConnectFlags.describe(badFlags, MqttVersion.V5));
        }
        boolean will = (flags & MqttConnectFlags.WILL) != 0;
        MqttProperties props = r.ok() ? Mqtt5Properties.read(r, Ctx.CONNECT, limits) : null;
        String clientId = r.utf8("Client Identifier");
        Will w = null;
        if (will && r.ok()) {
            MqttProperties wp = Mqtt5Properties.read(r, Ctx.WILL, limits);
            int at = r.pos();
            String topic = r.utf8("Will Topic");
            r.checkTopicName(topic, at, false, "Will Topic");
            ByteView payload = r.binary("Will Payload");
            if (r.ok()) {
                w = new Will(wp, topic, payload, MqttReader.textOrNull(payload), MqttConnectFlags.willQos(flags),
                        (flags & MqttConnectFlags.WILL_RETAIN) != 0);
            }
        }
        String user = (flags & MqttConnectFlags.USER_NAME) != 0 ? r.utf8("User Name") : null;
        boolean pw = (flags & MqttConnectFlags.PASSWORD) != 0;
        ByteView password = pw ? r.binary("Password") : null;
        r.expectEnd("CONNECT payload");
        if (!r.ok()) {
            return null;
        }
        return new Connect(name, level, flags, keepAlive, props, clientId, w, user, pw,
                pw ? password.length() : 0, keepSecrets ? password : null);
    }

    /*
     * PUBLISH (5.0 §3.3): Topic Name, Packet Identifier when QoS > 0, Properties, then the payload. QoS 3 was
     * rejected with the fixed header.
     */
    private static MqttMessage publish(MqttReader r, MqttFixedHeader h, Limits.Mqtt limits) {
        int at = r.pos();
        String topic = r.utf8("Topic Name");
        r.checkTopicName(topic, at, true, "Topic Name");
        int id = h.qos() > 0 ? r.u16("Packet Identifier") : -1;
        MqttProperties p = Mqtt5Properties.read(r, Ctx.PUBLISH, limits);
        if (!r.ok()) {
            return null;
        }
        if (topic.isEmpty() && p.topicAlias() == 0) {
            r.fail(MqttReason.EMPTY_TOPIC, at, "empty Topic Name without a Topic Alias (§3.3.2.1)");
            return null;
        }
        ByteView payload = r.rest();
        return new Publish(h.flags(), topic, id, p, payload, MqttReader.textOrNull(payload), topic);
    }

    /* SUBSCRIBE (5.0 §3.8): Packet Identifier, Properties, then (Topic Filter, Subscription Options) pairs.
     * Options: bits 7-6 Reserved | 5-4 Retain Handling | 3 Retain As Published | 2 No Local | 1-0 QoS */
    private static MqttMessage subscribe(MqttReader r, Limits.Mqtt limits) {
        int id = r.u16("Packet Identifier");
        MqttProperties p = Mqtt5Properties.read(r, Ctx.SUBSCRIBE, limits);
        List<Subscription> subs = new ArrayList<>();
        while (r.remaining() > 0 && r.roomForTopicFilter(subs.size(), limits.maxTopicFilters())) {
            int at = r.pos();
            String f = r.utf8("Topic Filter");
            r.checkTopicFilter(f, at);
            int o = r.u8("Subscription Options");
            if (!r.ok()) {
                break;
            }
            Subscription s = new Subscription(f, o);
            if ((o & 0xc0) != 0) {
                r.fail(MqttReason.RESERVED_BIT_SET, r.pos() - 1, String.format(
                        "Subscription Options 0x%02x: bits 7-6 are reserved [MQTT-3.8.3-5]", o));
            } else if (s.qos() == 3) {
                r.fail(MqttReason.BAD_QOS, r.pos() - 1, "Subscription Options QoS 3 (§3.8.3.1)");
            } else if (s.retainHandling() == 3) {
                r.fail(MqttReason.BAD_RETAIN_HANDLING, r.pos() - 1, "Retain Handling 3 (§3.8.3.1)");
            }
            subs.add(s);
        }
        if (r.ok() && subs.isEmpty()) {
            r.fail(MqttReason.NO_TOPIC_FILTER, r.pos(), "SUBSCRIBE without a Topic Filter [MQTT-3.8.3-2]");
        }
        return new Subscribe(id, p, subs);
    }
}
