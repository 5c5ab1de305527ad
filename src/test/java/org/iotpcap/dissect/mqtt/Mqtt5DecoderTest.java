package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.dissect.mqtt.MqttBytes.*;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.iotpcap.dissect.mqtt.v5.Mqtt5ReasonCodes;
import org.junit.jupiter.api.Test;

/** MQTT 5.0 packets written by hand from the OASIS 5.0 specification (sections cited). */
class Mqtt5DecoderTest {
    static final int V5 = MqttVersion.V5;

    /** §3.1: CONNECT with properties, a will with will properties, and a password without user name. */
    static final byte[] CONNECT = cat(
            0x10, 37,                       // Remaining Length 37 = 10 + 6 + 4 + 6 + 4 + 4 + 3
            0x00, 0x04, "MQTT", 0x05,       // protocol name, level 5
            0x4e,                           // password, will QoS 1, will flag, clean start
            0x00, 0x1e,                     // keep alive 30
            0x05,                           // Property Length 5
            0x11, 0x00, 0x00, 0x00, 0x0a,   //   Session Expiry Interval 10
            0x00, 0x02, "id",               // client id
            0x05,                           // Will Property Length 5
            0x18, 0x00, 0x00, 0x00, 0x05,   //   Will Delay Interval 5
            0x00, 0x02, "w/",               // will topic
            0x00, 0x02, "ok",               // will payload
            0x00, 0x01, "p");               // password

    @Test
    void decode_connect() {
        Connect c = ok(CONNECT, MqttVersion.UNKNOWN);
        assertThat(c.protocolLevel()).isEqualTo(5);
        assertThat(c.cleanSession()).isTrue();
        assertThat(c.properties().list()).singleElement().satisfies(p -> {
            assertThat(p.id()).isEqualTo(0x11);
            assertThat(p.name()).isEqualTo("Session Expiry Interval");
            assertThat(p.type()).isEqualTo(MqttPropertyType.FOUR_BYTE_INTEGER);
            assertThat(p.number()).isEqualTo(10);
        });
        assertThat(c.will().properties().first(0x18).number()).isEqualTo(5);
        assertThat(c.will().topic()).isEqualTo("w/");
        assertThat(c.username()).isNull();
        assertThat(c.passwordLength()).isEqualTo(1);
    }

    @Test
    void decode_connect_propertyNotAllowedInWill_malformed() {
        byte[] p = CONNECT.clone();
        p[23] = 0x11; // Session Expiry Interval inside Will Properties (§3.1.3.2)
        assertThat(reason(p, 0)).isEqualTo(MqttReason.PROPERTY_NOT_ALLOWED);
    }

    @Test
    void decode_connack_properties() {
        byte[] p = cat(0x20, 14,
                0x00, 0x00,                     // flags, reason code Success
                11,                             // Property Length
                0x21, 0x00, 0x0a,               //   Receive Maximum 10
                0x12, 0x00, 0x03, "abc",        //   Assigned Client Identifier
                0x24, 0x01);                    //   Maximum QoS 1
        Connack c = ok(p, V5);
        assertThat(c.legacyFormat()).isFalse();
        assertThat(c.properties().list()).extracting(MqttProperty::id).containsExactly(0x21, 0x12, 0x24);
        assertThat(c.properties().first(0x12).text()).isEqualTo("abc");
    }

    @Test
    void decode_connack_legacyFormat() {
        // a 3.1.1 server refusing a 5.0 CONNECT with return code 1 (see docs/tshark-differences-mqtt.md)
        Connack c = ok(b(0x20, 0x02, 0x00, 0x01), V5);
        assertThat(c.legacyFormat()).isTrue();
        assertThat(c.code()).isEqualTo(1);
    }

    @Test
    void decode_properties_malformed() {
        // Maximum QoS 2 is a Protocol Error (§3.2.2.3.4)
        assertThat(reason(b(0x20, 0x05, 0x00, 0x00, 0x02, 0x24, 0x02), V5)).isEqualTo(MqttReason.BAD_PROPERTY_VALUE);
        // Receive Maximum twice (§3.2.2.3.3)
        assertThat(reason(b(0x20, 0x09, 0x00, 0x00, 0x06, 0x21, 0x00, 0x01, 0x21, 0x00, 0x01), V5))
                .isEqualTo(MqttReason.DUPLICATE_PROPERTY);
        // Property Length 5 with 2 bytes left (§2.2.2.1)
        assertThat(reason(b(0x20, 0x05, 0x00, 0x00, 0x05, 0x24, 0x01), V5)).isEqualTo(MqttReason.BAD_PROPERTY_LENGTH);
        // a value running past the Property Length
        assertThat(reason(b(0x20, 0x06, 0x00, 0x00, 0x02, 0x21, 0x00, 0x01), V5))
                .isEqualTo(MqttReason.BAD_PROPERTY_LENGTH);
        // identifier 0x00 is not defined
        assertThat(reason(b(0x20, 0x05, 0x00, 0x00, 0x02, 0x00, 0x00), V5)).isEqualTo(MqttReason.UNKNOWN_PROPERTY);
        // Topic Alias in a CONNACK
        assertThat(reason(b(0x20, 0x06, 0x00, 0x00, 0x03, 0x23, 0x00, 0x01), V5))
                .isEqualTo(MqttReason.PROPERTY_NOT_ALLOWED);
        // Property Length not minimally encoded (§1.5.5)
        assertThat(reason(b(0x20, 0x04, 0x00, 0x00, 0x80, 0x00), V5)).isEqualTo(MqttReason.BAD_VARIABLE_BYTE_INTEGER);
    }

    @Test
    void decode_userProperties_repeat() {
        byte[] p = cat(0x40, 17, 0x00, 0x01, 0x10,   // PUBACK id 1, No matching subscribers
                13,                                  // Property Length
                0x26, 0x00, 0x01, "k", 0x00, 0x01, "v",
                0x26, 0x00, 0x01, "k", 0x00, 0x00);  // same name again, empty value: allowed
        Puback a = ok(p, V5);
        assertThat(a.reasonCode()).isEqualTo(0x10);
        assertThat(a.properties().list()).hasSize(2);
        assertThat(a.properties().list().get(0).value()).isEqualTo("v");
    }

    @Test
    void decode_publish_topicAlias() {
        byte[] p = cat(0x32, 12,
                0x00, 0x03, "a/b",              // topic
                0x00, 0x07,                     // packet id 7 (QoS 1)
                0x03, 0x23, 0x00, 0x04,         // properties: Topic Alias 4
                "x");                           // payload
        Publish m = ok(p, V5);
        assertThat(m.topicAlias()).isEqualTo(4);
        assertThat(m.packetId()).isEqualTo(7);
        assertThat(m.payloadText()).isEqualTo("x");
        // empty topic: allowed only with a Topic Alias (§3.3.2.3.4)
        assertThat(msg(cat(0x30, 6, 0x00, 0x00, 0x03, 0x23, 0x00, 0x04), V5)).isInstanceOf(Publish.class);
        assertThat(reason(cat(0x30, 3, 0x00, 0x00, 0x00), V5)).isEqualTo(MqttReason.EMPTY_TOPIC);
        assertThat(reason(cat(0x30, 6, 0x00, 0x00, 0x03, 0x23, 0x00, 0x00), V5))
                .isEqualTo(MqttReason.BAD_PROPERTY_VALUE); // Topic Alias 0
    }

    @Test
    void decode_publish_subscriptionIdentifiers() {
        // a PUBLISH may carry several Subscription Identifiers (§3.3.2.3.8)
        Publish m = ok(cat(0x30, 9, 0x00, 0x01, "t", 0x05, 0x0b, 0x01, 0x0b, 0x81, 0x01), V5);
        assertThat(m.properties().list()).extracting(MqttProperty::number).containsExactly(1L, 129L);
    }

    @Test
    void decode_pubackShortForms() {
        // §3.4.2.1: Remaining Length 2 = reason 0, no properties; 3 = reason only
        assertThat(msg(b(0x40, 0x02, 0x00, 0x01), V5)).isEqualTo(new Puback(1, 0, MqttProperties.NONE));
        assertThat(msg(b(0x50, 0x03, 0x00, 0x01, 0x80), V5)).isEqualTo(new Pubrec(1, 0x80, MqttProperties.NONE));
        assertThat(msg(b(0x62, 0x04, 0x00, 0x01, 0x92, 0x00), V5)).isEqualTo(new Pubrel(1, 0x92, MqttProperties.NONE));
        assertThat(msg(b(0x70, 0x03, 0x00, 0x01, 0x00), V5)).isEqualTo(new Pubcomp(1, 0, MqttProperties.NONE));
    }

    @Test
    void decode_subscribe_options() {
        byte[] p = cat(0x82, 9, 0x00, 0x02,    // Remaining Length 9 = 2 + 3 + 3 + 1
                0x02, 0x0b, 0x05,               // properties: Subscription Identifier 5
                0x00, 0x01, "#",
                0x2d);                          // Retain Handling 2, RAP, No Local, QoS 1
        Subscribe s = ok(p, V5);
        Subscription sub = s.subscriptions().get(0);
        assertThat(sub.filter()).isEqualTo("#");
        assertThat(sub.qos()).isEqualTo(1);
        assertThat(sub.noLocal()).isTrue();
        assertThat(sub.retainAsPublished()).isTrue();
        assertThat(sub.retainHandling()).isEqualTo(2);
        assertThat(s.properties().first(0x0b).number()).isEqualTo(5);
    }

    @Test
    void decode_subscribe_options_malformed() {
        assertThat(reason(cat(0x82, 7, 0x00, 0x02, 0x00, 0x00, 0x01, "#", 0x40), V5))
                .isEqualTo(MqttReason.RESERVED_BIT_SET); // [MQTT-3.8.3-5]
        assertThat(reason(cat(0x82, 7, 0x00, 0x02, 0x00, 0x00, 0x01, "#", 0x30), V5))
                .isEqualTo(MqttReason.BAD_RETAIN_HANDLING);
        assertThat(reason(cat(0x82, 7, 0x00, 0x02, 0x00, 0x00, 0x01, "#", 0x03), V5)).isEqualTo(MqttReason.BAD_QOS);
        assertThat(reason(cat(0x82, 3, 0x00, 0x02, 0x00), V5)).isEqualTo(MqttReason.NO_TOPIC_FILTER);
    }

    @Test
    void decode_suback_unsubscribe_unsuback() {
        Suback s = ok(b(0x90, 0x05, 0x00, 0x02, 0x00, 0x01, 0x87), V5);
        assertThat(s.codes()).containsExactly(1, 0x87);
        assertThat(Mqtt5ReasonCodes.name(MqttPacketType.SUBACK, 0x87, 5)).isEqualTo("Not authorized");
        Unsubscribe u = ok(cat(0xa2, 6, 0x00, 0x03, 0x00, 0x00, 0x01, "t"), V5);
        assertThat(u.filters()).containsExactly("t");
        Unsuback a = ok(b(0xb0, 0x05, 0x00, 0x03, 0x00, 0x00, 0x11), V5);
        assertThat(a.codes()).containsExactly(0, 0x11);
    }

    /** Limits.Mqtt.maxTopicFilters: the filter past the limit is reported where it starts. */
    @Test
    void decode_topicFilterLimit_malformed() {
        Limits.Mqtt two = new Limits.Mqtt(64, 8, 2, 2);
        byte[] unsub = cat(0xa2, 12, 0x00, 0x05, 0x00,  // UNSUBSCRIBE, Remaining Length 12 = 2 + 1 + 3 * 3
                0x00, 0x01, "a", 0x00, 0x01, "b",       // filters at offsets 5 and 8
                0x00, 0x01, "c");                       // the third, at offset 11
        assertThat(MqttDecoder.decode(ByteView.of(unsub), V5, false, two)).isEqualTo(DecodeResult.malformed(
                MqttReason.TOO_MANY_ITEMS, 11, "topic filters exceed limit (2)"));
        Unsubscribe atLimit = (Unsubscribe) MqttDecoder.decode(ByteView.of(cat(0xa2, 9, 0x00, 0x05, 0x00,
                0x00, 0x01, "a", 0x00, 0x01, "b")), V5, false, two).value();
        assertThat(atLimit.filters()).containsExactly("a", "b");
        byte[] sub = cat(0x82, 15, 0x00, 0x05, 0x00,    // SUBSCRIBE, Remaining Length 15 = 2 + 1 + 3 * 4
                0x00, 0x01, "a", 0x00, 0x00, 0x01, "b", 0x01,
                0x00, 0x01, "c", 0x02);                 // the third filter, at offset 13
        assertThat(MqttDecoder.decode(ByteView.of(sub), V5, false, two)).isEqualTo(DecodeResult.malformed(
                MqttReason.TOO_MANY_ITEMS, 13, "topic filters exceed limit (2)"));
        assertThat(MqttDecoder.decode(ByteView.of(sub), V5, false, Limits.Mqtt.DEFAULTS).isOk()).isTrue();
    }

    @Test
    void decode_disconnect_auth() {
        assertThat(msg(b(0xe0, 0x00), V5)).isEqualTo(new Disconnect(0, MqttProperties.NONE));
        assertThat(msg(b(0xe0, 0x01, 0x04), V5)).isEqualTo(new Disconnect(4, MqttProperties.NONE));
        Disconnect d = ok(cat(0xe0, 6, 0x8b, 0x04, 0x1f, 0x00, 0x01, "x"), V5);
        assertThat(d.properties().first(0x1f).text()).isEqualTo("x");
        Auth a = ok(cat(0xf0, 8, 0x18, 0x06, 0x15, 0x00, 0x03, "SCR"), V5);
        assertThat(a.reasonCode()).isEqualTo(0x18);
        assertThat(a.properties().first(0x15).text()).isEqualTo("SCR");
        assertThat(a.typeName()).isEqualTo("AUTH");
        // Server Reference is not allowed in AUTH
        assertThat(reason(cat(0xf0, 6, 0x18, 0x04, 0x1c, 0x00, 0x01, "s"), V5))
                .isEqualTo(MqttReason.PROPERTY_NOT_ALLOWED);
    }
}
