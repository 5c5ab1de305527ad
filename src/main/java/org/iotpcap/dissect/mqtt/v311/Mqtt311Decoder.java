package org.iotpcap.dissect.mqtt.v311;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttDecoder;
import org.iotpcap.dissect.mqtt.MqttLimits;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.dissect.mqtt.internal.MqttReader;

/**
 * Variable headers and payloads of MQTT 3.1 ("MQIsdp", level 3) and 3.1.1 ("MQTT", level 4), and of packets
 * of connections whose CONNECT was not captured (level {@link MqttVersion#UNKNOWN}, decoded as 3.1.1 but with
 * the 3.1 fixed-header leniency).
 *
 * <p>Checked (3.1.1 section): fixed-length packets (CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK: 2;
 * PINGREQ, PINGRESP, DISCONNECT: 0; §3.2-§3.14), CONNECT reserved flag [MQTT-3.1.2-3], Will QoS 3
 * [MQTT-3.1.2-14], Will QoS/Retain without Will Flag [MQTT-3.1.2-13/15], password without user name at level 4
 * [MQTT-3.1.2-22], CONNACK reserved flags [MQTT-3.2.2-1] (not at level 3, where the byte is unused),
 * PUBLISH QoS 3 [MQTT-3.3.1-4], empty or wildcard Topic Name [MQTT-4.7.3-1, MQTT-3.3.2-2], SUBSCRIBE and
 * UNSUBSCRIBE with no filter [MQTT-3.8.3-3, MQTT-3.10.3-2], Requested QoS reserved bits and QoS 3
 * [MQTT-3-8.3-4], UTF-8 strings [MQTT-1.5.3-1/2]. AUTH (type 15) and type 0 are reserved before 5.0.
 * Not checked: non-zero Packet Identifiers, client identifier length or characters, SUBACK code values
 * (kept as numbers).
 */
public final class Mqtt311Decoder {
    private Mqtt311Decoder() {}

    /**
     * @param header bytes of the fixed header (variable header starts there)
     * @param flags the fixed header's low 4 bits
     */
    public static DecodeResult<MqttMessage> decode(ByteView packet, int header, MqttPacketType type, int flags,
                                                   int level, boolean keepSecrets, MqttLimits limits) {
        MqttReader r = new MqttReader(packet, header);
        if (type == MqttPacketType.RESERVED || type == MqttPacketType.AUTH) {
            return DecodeResult.malformed(MqttReason.RESERVED_PACKET_TYPE, 0, "packet type " + type.code()
                    + " is reserved in MQTT " + MqttVersion.name(level));
        }
        if (!MqttDecoder.checkFlags(r, type, flags, level)) {
            return r.failure();
        }
        MqttMessage m = switch (type) {
            case CONNECT -> connect(r, level, keepSecrets);
            case CONNACK -> {
                int f = r.u8("Connect Acknowledge Flags");
                int code = r.u8("Connect Return Code");
                if (r.expectEnd("CONNACK") && level != MqttVersion.V31 && (f & 0xfe) != 0) {
                    r.fail(MqttReason.RESERVED_BIT_SET, header, String.format(
                            "CONNACK flags 0x%02x: bits 7-1 are reserved [MQTT-3.2.2-1]", f));
                }
                yield new Connack(f, code, MqttProperties.NONE, false);
            }
            case PUBLISH -> publish(r, flags);
            case PUBACK -> new Puback(idOnly(r, "PUBACK"), 0, MqttProperties.NONE);
            case PUBREC -> new Pubrec(idOnly(r, "PUBREC"), 0, MqttProperties.NONE);
            case PUBREL -> new Pubrel(idOnly(r, "PUBREL"), 0, MqttProperties.NONE);
            case PUBCOMP -> new Pubcomp(idOnly(r, "PUBCOMP"), 0, MqttProperties.NONE);
            case SUBSCRIBE -> subscribe(r, limits);
            case SUBACK -> {
                int id = r.u16("Packet Identifier");
                List<Integer> codes = new ArrayList<>();
                while (r.remaining() > 0) {
                    codes.add(r.u8("Return Code"));
                }
                yield new Suback(id, MqttProperties.NONE, codes);
            }
            case UNSUBSCRIBE -> {
                int id = r.u16("Packet Identifier");
                List<String> filters = new ArrayList<>();
                while (r.remaining() > 0 && filters.size() <= limits.maxTopicFilters()) {
                    int at = r.pos();
                    String f = r.utf8("Topic Filter");
                    if (MqttDecoder.checkTopicFilter(r, f, at)) {
                        filters.add(f);
                    }
                }
                if (r.ok() && filters.isEmpty()) {
                    r.fail(MqttReason.NO_TOPIC_FILTER, r.pos(), "UNSUBSCRIBE without a Topic Filter [MQTT-3.10.3-2]");
                } else if (r.ok() && filters.size() > limits.maxTopicFilters()) {
                    r.fail(MqttReason.TOO_MANY_ITEMS, r.pos(), "topic filters exceed limit ("
                            + limits.maxTopicFilters() + ")");
                }
                yield new Unsubscribe(id, MqttProperties.NONE, filters);
            }
            case UNSUBACK -> new Unsuback(idOnly(r, "UNSUBACK"), MqttProperties.NONE, List.of());
            case PINGREQ -> {
                r.expectEnd("PINGREQ");
                yield new Pingreq();
            }
            case PINGRESP -> {
                r.expectEnd("PINGRESP");
                yield new Pingresp();
            }
            case DISCONNECT -> {
                r.expectEnd("DISCONNECT");
                yield new Disconnect(0, MqttProperties.NONE);
            }
            case RESERVED, AUTH -> throw new IllegalStateException("handled above");
        };
        return r.ok() ? DecodeResult.ok(m) : r.failure();
    }

    private static int idOnly(MqttReader r, String what) {
        int id = r.u16("Packet Identifier");
        r.expectEnd(what + " (Remaining Length must be 2)");
        return id;
    }

    /*
     * CONNECT variable header (3.1.1 §3.1.2): Protocol Name (UTF-8 string), Protocol Level, Connect Flags,
     * Keep Alive (2 bytes). Connect Flags:
     *   bit 7 User Name | 6 Password | 5 Will Retain | 4-3 Will QoS | 2 Will Flag | 1 Clean Session | 0 Reserved
     * Payload (§3.1.3): Client Identifier, [Will Topic, Will Message (2-byte length + bytes)], [User Name],
     * [Password (2-byte length + bytes)].
     */
    private static MqttMessage connect(MqttReader r, int connLevel, boolean keepSecrets) {
        String name = r.utf8("Protocol Name");
        int level = r.u8("Protocol Level");
        int flags = r.u8("Connect Flags");
        int keepAlive = r.u16("Keep Alive");
        if (!r.ok()) {
            return null;
        }
        int flagsAt = r.pos() - 3;
        if (level != MqttVersion.V31 && (flags & 0x01) != 0) {
            r.fail(MqttReason.RESERVED_BIT_SET, flagsAt, "Connect Flags reserved bit set [MQTT-3.1.2-3]");
        }
        int willQos = (flags >> 3) & 3;
        boolean will = (flags & 0x04) != 0;
        if (willQos == 3) {
            r.fail(MqttReason.BAD_QOS, flagsAt, "Will QoS 3 [MQTT-3.1.2-14]");
        } else if (!will && (willQos != 0 || (flags & 0x20) != 0)) {
            r.fail(MqttReason.WILL_FLAGS_WITHOUT_WILL, flagsAt, "Will QoS or Will Retain without Will Flag"
                    + " [MQTT-3.1.2-13/15]");
        } else if (level == MqttVersion.V311 && (flags & 0xc0) == 0x40) {
            r.fail(MqttReason.PASSWORD_WITHOUT_USERNAME, flagsAt, "Password Flag without User Name Flag"
                    + " [MQTT-3.1.2-22]");
        }
        String clientId = r.utf8("Client Identifier");
        Will w = null;
        if (will && r.ok()) {
            int at = r.pos();
            String topic = r.utf8("Will Topic");
            MqttDecoder.checkTopicName(r, topic, at, false, "Will Topic");
            ByteView payload = r.binary("Will Message");
            if (r.ok()) {
                w = new Will(MqttProperties.NONE, topic, payload, MqttReader.textOrNull(payload), willQos,
                        (flags & 0x20) != 0);
            }
        }
        String user = (flags & 0x80) != 0 ? r.utf8("User Name") : null;
        boolean pw = (flags & 0x40) != 0;
        ByteView password = pw ? r.binary("Password") : null;
        r.expectEnd("CONNECT payload");
        if (!r.ok()) {
            return null;
        }
        return new Connect(name, level, flags, keepAlive, MqttProperties.NONE, clientId, w, user, pw,
                pw ? password.length() : 0, keepSecrets ? password : null);
    }

    /* PUBLISH (3.1.1 §3.3): Topic Name, Packet Identifier when QoS > 0, then the payload to the end. */
    private static MqttMessage publish(MqttReader r, int flags) {
        int qos = (flags >> 1) & 3;
        if (qos == 3) {
            r.fail(MqttReason.BAD_QOS, 0, "PUBLISH QoS 3 [MQTT-3.3.1-4]");
            return null;
        }
        int at = r.pos();
        String topic = r.utf8("Topic Name");
        MqttDecoder.checkTopicName(r, topic, at, false, "Topic Name");
        int id = qos > 0 ? r.u16("Packet Identifier") : -1;
        ByteView payload = r.rest();
        if (!r.ok()) {
            return null;
        }
        return new Publish(flags, topic, id, MqttProperties.NONE, payload, MqttReader.textOrNull(payload), topic);
    }

    /* SUBSCRIBE (3.1.1 §3.8): Packet Identifier, then (Topic Filter, Requested QoS) pairs to the end. */
    private static MqttMessage subscribe(MqttReader r, MqttLimits limits) {
        int id = r.u16("Packet Identifier");
        List<Subscription> subs = new ArrayList<>();
        while (r.remaining() > 0) {
            if (subs.size() >= limits.maxTopicFilters()) {
                r.fail(MqttReason.TOO_MANY_ITEMS, r.pos(), "topic filters exceed limit ("
                        + limits.maxTopicFilters() + ")");
                break;
            }
            int at = r.pos();
            String f = r.utf8("Topic Filter");
            MqttDecoder.checkTopicFilter(r, f, at);
            int q = r.u8("Requested QoS");
            if (!r.ok()) {
                break;
            }
            if ((q & 0xfc) != 0) {
                r.fail(MqttReason.RESERVED_BIT_SET, r.pos() - 1, String.format(
                        "Requested QoS byte 0x%02x: bits 7-2 are reserved [MQTT-3-8.3-4]", q));
            } else if (q == 3) {
                r.fail(MqttReason.BAD_QOS, r.pos() - 1, "Requested QoS 3 [MQTT-3-8.3-4]");
            }
            subs.add(new Subscription(f, q));
        }
        if (r.ok() && subs.isEmpty()) {
            r.fail(MqttReason.NO_TOPIC_FILTER, r.pos(), "SUBSCRIBE without a Topic Filter [MQTT-3.8.3-3]");
        }
        return new Subscribe(id, MqttProperties.NONE, subs);
    }
}
