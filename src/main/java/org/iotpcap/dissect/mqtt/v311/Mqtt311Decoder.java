package org.iotpcap.dissect.mqtt.v311;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
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
     * @param h the packet's fixed header, as {@link MqttFixedHeader#decode} read it
     * @param packet exactly the packet ({@code h.packetLength()} bytes)
     * @param level the protocol level to decode with: the CONNECT's own for a CONNECT, else the connection's
     */
    public static DecodeResult<MqttMessage> decode(MqttFixedHeader h, ByteView packet, int level,
                                                   boolean keepSecrets, Limits.Mqtt limits) {
        DecodeResult<MqttMessage> bad = h.problemAt(level);
        if (bad != null) {
            return bad;
        }
        MqttPacketType type = h.type();
        int header = h.length();
        MqttReader r = new MqttReader(packet, header);
        MqttMessage m = switch (type) {
            case CONNECT -> connect(r, keepSecrets);
            case CONNACK -> {
                int f = r.u8("Connect Acknowledge Flags");
                int code = r.u8("Connect Return Code");
                if (r.expectEnd("CONNACK") && level != MqttVersion.V31 && (f & 0xfe) != 0) {
                    r.fail(MqttReason.RESERVED_BIT_SET, header, String.format(
                            "CONNACK flags 0x%02x: bits 7-1 are reserved [MQTT-3.2.2-1]", f));
                }
                yield new Connack(f, code, MqttProperties.NONE, false);
            }
            case PUBLISH -> publish(r, h);
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
                yield new Unsubscribe(id, MqttProperties.NONE, r.unsubscribeFilters(limits.maxTopicFilters()));
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
            case RESERVED, AUTH -> throw new IllegalStateException("reserved before 5.0: rejected by problemAt");
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
    private static MqttMessage connect(MqttReader r, boolean keepSecrets) {
        String name = r.utf8("Protocol Name");
        int level = r.u8("Protocol Level");
        int flags = r.u8("Connect Flags");
        int keepAlive = r.u16("Keep Alive");
        if (!r.ok()) {
            return null;
        }
        int flagsAt = r.pos() - 3;
        MqttReason badFlags = MqttConnectFlags.violation(flags, level);
        if (badFlags != null) {
            r.fail(badFlags, flagsAt, MqttConnectFlags.describe(badFlags, level));
        }
        boolean will = (flags & MqttConnectFlags.WILL) != 0;
        String clientId = r.utf8("Client Identifier");
        Will w = null;
        if (will && r.ok()) {
            int at = r.pos();
            String topic = r.utf8("Will Topic");
            r.checkTopicName(topic, at, false, "Will Topic");
            ByteView payload = r.binary("Will Message");
            if (r.ok()) {
                w = new Will(MqttProperties.NONE, topic, payload, MqttReader.textOrNull(payload),
                        MqttConnectFlags.willQos(flags), (flags & MqttConnectFlags.WILL_RETAIN) != 0);
            }
        }
        String user = (flags & MqttConnectFlags.USER_NAME) != 0 ? r.utf8("User Name") : null;
        boolean pw = (flags & MqttConnectFlags.PASSWORD) != 0;
        ByteView password = pw ? r.binary("Password") : null;
        r.expectEnd("CONNECT payload");
        if (!r.ok()) {
            return null;
        }
        return new Connect(name, level, flags, keepAlive, MqttProperties.NONE, clientId, w, user, pw,
                pw ? password.length() : 0, keepSecrets ? password : null);
    }

    /*
     * PUBLISH (3.1.1 §3.3): Topic Name, Packet Identifier when QoS > 0, then the payload to the end. QoS 3 was
     * rejected with the fixed header.
     */
    private static MqttMessage publish(MqttReader r, MqttFixedHeader h) {
        int at = r.pos();
        String topic = r.utf8("Topic Name");
        r.checkTopicName(topic, at, false, "Topic Name");
        int id = h.qos() > 0 ? r.u16("Packet Identifier") : -1;
        ByteView payload = r.rest();
        if (!r.ok()) {
            return null;
        }
        return new Publish(h.flags(), topic, id, MqttProperties.NONE, payload, MqttReader.textOrNull(payload),
                topic);
    }

    /* SUBSCRIBE (3.1.1 §3.8): Packet Identifier, then (Topic Filter, Requested QoS) pairs to the end. */
    private static MqttMessage subscribe(MqttReader r, Limits.Mqtt limits) {
        int id = r.u16("Packet Identifier");
        List<Subscription> subs = new ArrayList<>();
        while (r.remaining() > 0 && r.roomForTopicFilter(subs.size(), limits.maxTopicFilters())) {
            int at = r.pos();
            String f = r.utf8("Topic Filter");
            r.checkTopicFilter(f, at);
            int q = r.u8("Requested QoS");
            if (!r.ok()) {
                break;
            }
            Subscription s = new Subscription(f, q);
            if ((q & 0xfc) != 0) {
                r.fail(MqttReason.RESERVED_BIT_SET, r.pos() - 1, String.format(
                        "Requested QoS byte 0x%02x: bits 7-2 are reserved [MQTT-3-8.3-4]", q));
            } else if (s.qos() == 3) {
                r.fail(MqttReason.BAD_QOS, r.pos() - 1, "Requested QoS 3 [MQTT-3-8.3-4]");
            }
            subs.add(s);
        }
        if (r.ok() && subs.isEmpty()) {
            r.fail(MqttReason.NO_TOPIC_FILTER, r.pos(), "SUBSCRIBE without a Topic Filter [MQTT-3.8.3-3]");
        }
        return new Subscribe(id, MqttProperties.NONE, subs);
    }
}
