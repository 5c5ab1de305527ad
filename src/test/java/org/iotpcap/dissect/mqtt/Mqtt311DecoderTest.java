package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.dissect.mqtt.MqttBytes.*;

import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.junit.jupiter.api.Test;

/** MQTT 3.1 and 3.1.1 packets written by hand from the OASIS 3.1.1 specification (sections cited). */
class Mqtt311DecoderTest {
    static final int V4 = MqttVersion.V311;

    /** 3.1.1 §3.1, figure 3.6 variable header example, with a will, user name and password. */
    static final byte[] CONNECT_FULL = cat(
            0x10, 41,                   // CONNECT, Remaining Length 41 = 10 (variable header) + 5 + 7 + 5 + 6 + 8
            0x00, 0x04, "MQTT",         // Protocol Name
            0x04,                       // Protocol Level 4
            0xee,                       // flags: user, password, will retain, will QoS 1, will, clean session
            0x00, 0x0a,                 // Keep Alive 10 s
            0x00, 0x03, "abc",          // Client Identifier
            0x00, 0x05, "a/b/c",        // Will Topic
            0x00, 0x03, "bye",          // Will Message
            0x00, 0x04, "user",         // User Name
            0x00, 0x06, "secret");      // Password

    @Test
    void decode_connect() {
        Connect c = ok(CONNECT_FULL, MqttVersion.UNKNOWN);
        assertThat(c.typeName()).isEqualTo("CONNECT");
        assertThat(c.protocolName()).isEqualTo("MQTT");
        assertThat(c.protocolLevel()).isEqualTo(4);
        assertThat(c.usernameFlag()).isTrue();
        assertThat(c.passwordFlag()).isTrue();
        assertThat(c.willRetain()).isTrue();
        assertThat(c.willQos()).isEqualTo(1);
        assertThat(c.willFlag()).isTrue();
        assertThat(c.cleanSession()).isTrue();
        assertThat(c.reservedFlag()).isFalse();
        assertThat(c.keepAliveSeconds()).isEqualTo(10);
        assertThat(c.clientId()).isEqualTo("abc");
        assertThat(c.will().topic()).isEqualTo("a/b/c");
        assertThat(c.will().payloadText()).isEqualTo("bye");
        assertThat(c.will().qos()).isEqualTo(1);
        assertThat(c.will().retain()).isTrue();
        assertThat(c.username()).isEqualTo("user");
        assertThat(c.passwordPresent()).isTrue();
        assertThat(c.passwordLength()).isEqualTo(6);
        assertThat(c.password()).as("password not kept by default").isNull();
    }

    @Test
    void decode_connect_keepSecrets() {
        var r = MqttDecoder.decode(ByteView.of(CONNECT_FULL), 0, true, Limits.Mqtt.DEFAULTS);
        assertThat(((Connect) r.value()).password().utf8(0, 6)).isEqualTo("secret");
    }

    @Test
    void decode_connect_v31() {
        byte[] p = cat(
                0x10, 18,                   // CONNECT, Remaining Length 18
                0x00, 0x06, "MQIsdp",       // 3.1 protocol name
                0x03,                       // level 3
                0x02,                       // clean session
                0x00, 0x3c,                 // keep alive 60
                0x00, 0x04, "cli1");        // client id
        Connect c = ok(p, MqttVersion.UNKNOWN);
        assertThat(c.protocolName()).isEqualTo("MQIsdp");
        assertThat(c.protocolLevel()).isEqualTo(3);
        assertThat(c.will()).isNull();
        assertThat(c.username()).isNull();
        assertThat(c.passwordPresent()).isFalse();
    }

    @Test
    void decode_connect_reservedFlag_malformed() {
        byte[] p = CONNECT_FULL.clone();
        p[9] = (byte) 0xef; // reserved bit 0 set [MQTT-3.1.2-3]
        assertThat(reason(p, 0)).isEqualTo(MqttReason.RESERVED_BIT_SET);
    }

    @Test
    void decode_connect_willQos3_malformed() {
        byte[] p = CONNECT_FULL.clone();
        p[9] = (byte) 0xde; // will QoS 3 [MQTT-3.1.2-14]
        assertThat(reason(p, 0)).isEqualTo(MqttReason.BAD_QOS);
    }

    @Test
    void decode_connect_willRetainWithoutWill_malformed() {
        byte[] p = cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04,
                0x22,                       // will retain without will flag [MQTT-3.1.2-15]
                0x00, 0x00, 0x00, 0x02, "id");
        assertThat(reason(p, 0)).isEqualTo(MqttReason.WILL_FLAGS_WITHOUT_WILL);
    }

    @Test
    void decode_connect_passwordWithoutUser_malformed() {
        byte[] p = cat(0x10, 18, 0x00, 0x04, "MQTT", 0x04,
                0x42,                       // password flag, no user name flag [MQTT-3.1.2-22]
                0x00, 0x00, 0x00, 0x02, "id", 0x00, 0x02, "pw");
        assertThat(reason(p, 0)).isEqualTo(MqttReason.PASSWORD_WITHOUT_USERNAME);
    }

    @Test
    void decode_connect_missingUsername_malformed() {
        byte[] p = cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04,
                0x82,                       // user name flag, but the payload ends after the client id
                0x00, 0x00, 0x00, 0x02, "id");
        assertThat(reason(p, 0)).isEqualTo(MqttReason.FIELD_OVERRUNS_PACKET);
    }

    @Test
    void decode_connect_badUtf8_malformed() {
        byte[] p = cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x00,
                0x00, 0x02, 0xc0, 0xaf);    // overlong encoding of '/' [MQTT-1.5.3-1]
        assertThat(reason(p, 0)).isEqualTo(MqttReason.BAD_UTF8);
    }

    @Test
    void decode_connect_nulCharacter_malformed() {
        byte[] p = cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x00,
                0x00, 0x02, 0x61, 0x00);    // "a" then U+0000 [MQTT-1.5.3-2]
        assertThat(reason(p, 0)).isEqualTo(MqttReason.BAD_UTF8);
    }

    @Test
    void decode_connect_trailingBytes_malformed() {
        byte[] p = cat(0x10, 15, 0x00, 0x04, "MQTT", 0x04, 0x02, 0x00, 0x00, 0x00, 0x02, "id", 0x99);
        assertThat(reason(p, 0)).isEqualTo(MqttReason.BAD_PACKET_LENGTH);
    }

    @Test
    void decode_connack() {
        // §3.2: flags (session present), return code 0
        Connack c = ok(b(0x20, 0x02, 0x01, 0x00), V4);
        assertThat(c.sessionPresent()).isTrue();
        assertThat(c.code()).isZero();
        assertThat(((Connack) msg(b(0x20, 0x02, 0x00, 0x05), V4)).code()).isEqualTo(5);
    }

    @Test
    void decode_connack_reservedFlags_malformed() {
        assertThat(reason(b(0x20, 0x02, 0x02, 0x00), V4)).isEqualTo(MqttReason.RESERVED_BIT_SET); // [MQTT-3.2.2-1]
        assertThat(reason(b(0x20, 0x03, 0x00, 0x00, 0x00), V4)).isEqualTo(MqttReason.BAD_PACKET_LENGTH);
        // 3.1 CONNACK: the first byte is unused, not checked
        assertThat(msg(b(0x20, 0x02, 0x02, 0x00), MqttVersion.V31)).isInstanceOf(Connack.class);
    }

    @Test
    void decode_publish_qos0() {
        byte[] p = cat(0x31, 9,                // PUBLISH, RETAIN, QoS 0
                0x00, 0x03, "a/b",             // topic
                "hi!", 0x21);                  // payload "hi!!" (no packet id at QoS 0)
        Publish m = ok(p, V4);
        assertThat(m.topic()).isEqualTo("a/b");
        assertThat(m.resolvedTopic()).isEqualTo("a/b");
        assertThat(m.qos()).isZero();
        assertThat(m.retain()).isTrue();
        assertThat(m.dup()).isFalse();
        assertThat(m.packetId()).isEqualTo(-1);
        assertThat(m.payloadText()).isEqualTo("hi!!");
    }

    @Test
    void decode_publish_qos2_binaryPayload() {
        byte[] p = cat(0x3c, 9,                // PUBLISH, DUP, QoS 2
                0x00, 0x03, "a/b",
                0x00, 0x0a,                    // packet id 10
                0xff, 0xfe);                   // payload, not UTF-8
        Publish m = ok(p, V4);
        assertThat(m.dup()).isTrue();
        assertThat(m.qos()).isEqualTo(2);
        assertThat(m.packetId()).isEqualTo(10);
        assertThat(m.payload().length()).isEqualTo(2);
        assertThat(m.payloadText()).isNull();
    }

    @Test
    void decode_publish_qos3_malformed() {
        assertThat(reason(cat(0x36, 7, 0x00, 0x01, "t", 0x00, 0x01, "x", "y"), V4))
                .isEqualTo(MqttReason.BAD_QOS); // [MQTT-3.3.1-4]
    }

    @Test
    void decode_publish_wildcardTopic_malformed() {
        assertThat(reason(cat(0x30, 5, 0x00, 0x03, "a/#"), V4)).isEqualTo(MqttReason.WILDCARD_IN_TOPIC_NAME);
        assertThat(reason(cat(0x30, 2, 0x00, 0x00), V4)).isEqualTo(MqttReason.EMPTY_TOPIC);
    }

    @Test
    void decode_pubackFamily() {
        assertThat(msg(b(0x40, 0x02, 0x12, 0x34), V4)).isEqualTo(new Puback(0x1234, 0, MqttProperties.NONE));
        assertThat(msg(b(0x50, 0x02, 0x00, 0x01), V4)).isEqualTo(new Pubrec(1, 0, MqttProperties.NONE));
        assertThat(msg(b(0x62, 0x02, 0x00, 0x01), V4)).isEqualTo(new Pubrel(1, 0, MqttProperties.NONE));
        assertThat(msg(b(0x70, 0x02, 0x00, 0x01), V4)).isEqualTo(new Pubcomp(1, 0, MqttProperties.NONE));
    }

    @Test
    void decode_puback_wrongLength_malformed() {
        assertThat(reason(b(0x40, 0x03, 0x00, 0x01, 0x00), V4)).isEqualTo(MqttReason.BAD_PACKET_LENGTH);
    }

    @Test
    void decode_fixedHeaderFlags_malformed() {
        // §2.2.2: PUBREL, SUBSCRIBE, UNSUBSCRIBE must carry 0010, the others 0000 [MQTT-2.2.2-1/2]
        assertThat(reason(b(0x60, 0x02, 0x00, 0x01), V4)).isEqualTo(MqttReason.BAD_FIXED_HEADER_FLAGS);
        assertThat(reason(b(0x41, 0x02, 0x00, 0x01), V4)).isEqualTo(MqttReason.BAD_FIXED_HEADER_FLAGS);
        assertThat(reason(b(0xc1, 0x00), V4)).isEqualTo(MqttReason.BAD_FIXED_HEADER_FLAGS);
        // MQTT 3.1: DUP + QoS 1 on SUBSCRIBE is allowed
        assertThat(msg(cat(0x8a, 6, 0x00, 0x01, 0x00, 0x01, "t", 0x00), MqttVersion.V31))
                .isInstanceOf(Subscribe.class);
    }

    @Test
    void decode_reservedTypes_malformed() {
        assertThat(reason(b(0x00, 0x00), V4)).isEqualTo(MqttReason.RESERVED_PACKET_TYPE);
        assertThat(reason(b(0xf0, 0x00), V4)).isEqualTo(MqttReason.RESERVED_PACKET_TYPE);
    }

    @Test
    void decode_subscribe() {
        // §3.8.3 figure 3.23 example: "a/b" QoS 1, "c/d" QoS 2
        byte[] p = cat(0x82, 14,
                0x00, 0x0a,                    // packet id 10
                0x00, 0x03, "a/b", 0x01,       // filter, requested QoS 1
                0x00, 0x03, "c/d", 0x02);      // filter, requested QoS 2
        Subscribe s = ok(p, V4);
        assertThat(s.packetId()).isEqualTo(10);
        assertThat(s.subscriptions()).extracting(Subscription::filter).containsExactly("a/b", "c/d");
        assertThat(s.subscriptions()).extracting(Subscription::qos).containsExactly(1, 2);
    }

    @Test
    void decode_subscribe_malformed() {
        assertThat(reason(b(0x82, 0x02, 0x00, 0x01), V4)).isEqualTo(MqttReason.NO_TOPIC_FILTER); // [MQTT-3.8.3-3]
        assertThat(reason(cat(0x82, 6, 0x00, 0x01, 0x00, 0x01, "t", 0x04), V4))
                .isEqualTo(MqttReason.RESERVED_BIT_SET); // [MQTT-3-8.3-4]
        assertThat(reason(cat(0x82, 6, 0x00, 0x01, 0x00, 0x01, "t", 0x03), V4)).isEqualTo(MqttReason.BAD_QOS);
        assertThat(reason(cat(0x82, 5, 0x00, 0x01, 0x00, 0x00, 0x00), V4)).isEqualTo(MqttReason.EMPTY_TOPIC);
        assertThat(reason(cat(0x82, 5, 0x00, 0x01, 0x00, 0x01, "t"), V4))
                .isEqualTo(MqttReason.FIELD_OVERRUNS_PACKET);
    }

    @Test
    void decode_suback() {
        // §3.9.3 figure 3.26 example: granted 0, 2 and failure 0x80
        Suback s = ok(b(0x90, 0x05, 0x00, 0x0a, 0x00, 0x02, 0x80), V4);
        assertThat(s.packetId()).isEqualTo(10);
        assertThat(s.codes()).containsExactly(0, 2, 0x80);
    }

    @Test
    void decode_unsubscribe_unsuback() {
        Unsubscribe u = ok(cat(0xa2, 12, 0x00, 0x05, 0x00, 0x03, "a/b", 0x00, 0x03, "c/d"), V4);
        assertThat(u.packetId()).isEqualTo(5);
        assertThat(u.filters()).containsExactly("a/b", "c/d");
        assertThat(reason(b(0xa2, 0x02, 0x00, 0x05), V4)).isEqualTo(MqttReason.NO_TOPIC_FILTER); // [MQTT-3.10.3-2]
        Unsuback a = ok(b(0xb0, 0x02, 0x00, 0x05), V4);
        assertThat(a.packetId()).isEqualTo(5);
        assertThat(a.codes()).isEmpty();
    }

    @Test
    void decode_ping_disconnect() {
        assertThat(msg(b(0xc0, 0x00), V4)).isInstanceOf(Pingreq.class);
        assertThat(msg(b(0xd0, 0x00), V4)).isInstanceOf(Pingresp.class);
        assertThat(msg(b(0xe0, 0x00), V4)).isEqualTo(new Disconnect(0, MqttProperties.NONE));
        assertThat(reason(b(0xe0, 0x01, 0x00), V4)).isEqualTo(MqttReason.BAD_PACKET_LENGTH);
        assertThat(((MqttMessage) ok(b(0xd0, 0x00), V4)).typeName()).isEqualTo("PINGRESP");
    }

    /** Limits.Mqtt.maxTopicFilters: the filter past the limit is reported where it starts. */
    @Test
    void decode_topicFilterLimit_malformed() {
        Limits.Mqtt two = new Limits.Mqtt(64, 8, 2, 2);
        byte[] unsub = cat(0xa2, 11, 0x00, 0x05,        // UNSUBSCRIBE, Remaining Length 11 = 2 + 3 * 3
                0x00, 0x01, "a", 0x00, 0x01, "b",       // filters at offsets 4 and 7
                0x00, 0x01, "c");                       // the third, at offset 10
        assertThat(MqttDecoder.decode(ByteView.of(unsub), V4, false, two)).isEqualTo(DecodeResult.malformed(
                MqttReason.TOO_MANY_ITEMS, 10, "topic filters exceed limit (2)"));
        Unsubscribe atLimit = (Unsubscribe) MqttDecoder.decode(ByteView.of(cat(0xa2, 8, 0x00, 0x05,
                0x00, 0x01, "a", 0x00, 0x01, "b")), V4, false, two).value();
        assertThat(atLimit.filters()).containsExactly("a", "b");
        byte[] sub = cat(0x82, 14, 0x00, 0x05,          // SUBSCRIBE, Remaining Length 14 = 2 + 3 * 4
                0x00, 0x01, "a", 0x00, 0x00, 0x01, "b", 0x01,
                0x00, 0x01, "c", 0x02);                 // the third filter, at offset 12
        assertThat(MqttDecoder.decode(ByteView.of(sub), V4, false, two)).isEqualTo(DecodeResult.malformed(
                MqttReason.TOO_MANY_ITEMS, 12, "topic filters exceed limit (2)"));
        assertThat(MqttDecoder.decode(ByteView.of(sub), V4, false, Limits.Mqtt.DEFAULTS).isOk()).isTrue();
    }

    @Test
    void decode_remainingLength() {
        // §2.2.3: 0x80 0x01 = 128; a continuation bit on the 4th byte is malformed
        byte[] p = new byte[3 + 128];
        p[0] = 0x30;
        p[1] = (byte) 0x80;
        p[2] = 0x01;
        p[3] = 0;
        p[4] = 1;
        p[5] = 't';
        assertThat(((Publish) ok(p, V4)).payload().length()).isEqualTo(125);
        assertThat(reason(b(0x30, 0xff, 0xff, 0xff, 0xff, 0x01), V4)).isEqualTo(MqttReason.BAD_REMAINING_LENGTH);
        assertThat(decode(b(0x30, 0x05, 0x00), V4)).isEqualTo(DecodeResult.truncated(7, 3));
    }

    @Test
    void looksLikeConnect() {
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(CONNECT_FULL))).isTrue();
        // only the first 14 bytes are needed
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(CONNECT_FULL, 0, 14))).isTrue();
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(cat(0x10, 18, 0x00, 0x06, "MQIsdp", 0x03, 0x02,
                0x00, 0x3c, 0x00, 0x04, "cli1")))).isTrue();
        // level 3 with the name "MQTT", a reserved flag, HTTP, too short
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(cat(0x10, 14, 0x00, 0x04, "MQTT", 0x03, 0x02, 0, 0,
                0, 2, "id")))).isFalse();
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(cat(0x10, 14, 0x00, 0x04, "MQTT", 0x04, 0x03, 0, 0,
                0, 2, "id")))).isFalse();
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(cat("GET / HTTP/1.1\r\n")))).isFalse();
        assertThat(MqttDecoder.looksLikeConnect(ByteView.of(b(0x10)))).isFalse();
        assertThat(List.of()).isEmpty();
    }
}
