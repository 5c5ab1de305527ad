package org.iotpcap.dissect.mqttsn;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqttsn.MqttSnMessage.*;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;

/** One test per message type and per length rule; bytes written by hand from MQTT-SN v1.2 section 5. */
class MqttSnDecoderTest {

    static byte[] b(int... v) {
        return Packets.octets(v);
    }

    static MqttSnMessage one(byte[] datagram) {
        List<MqttSnMessage> all = MqttSnDecoder.decode(ByteView.of(datagram)).value();
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    static DecodeResult.Malformed<?> malformed(byte[] datagram) {
        DecodeResult<List<MqttSnMessage>> r = MqttSnDecoder.decode(ByteView.of(datagram));
        assertThat(r).isInstanceOf(DecodeResult.Malformed.class);
        return (DecodeResult.Malformed<?>) r;
    }

    @Test
    void decode_advertise() {
        var m = (Advertise) one(b(0x05 /* Length */, 0x00 /* ADVERTISE */, 0x2A /* GwId 42 */, 0x03, 0x84 /* Duration 900 */));
        assertThat(m).isEqualTo(new Advertise(new MqttSnHeader(5, 2, 0x00), 42, 900));
        assertThat(m.typeName()).isEqualTo("ADVERTISE");
    }

    @Test
    void decode_advertise_malformed() {
        var m = malformed(b(0x04, 0x00, 0x2A, 0x03)); // Duration cut to one octet
        assertThat(m.reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(m.offset()).isZero();
    }

    @Test
    void decode_searchgw() {
        var m = (SearchGw) one(b(0x03, 0x01 /* SEARCHGW */, 0x05 /* Radius */));
        assertThat(m.radius()).isEqualTo(5);
        assertThat(m.typeName()).isEqualTo("SEARCHGW");
    }

    @Test
    void decode_gwinfo_from_gateway_and_from_client() {
        var gw = (GwInfo) one(b(0x03, 0x02 /* GWINFO */, 0x07 /* GwId */));
        assertThat(gw.gwId()).isEqualTo(7);
        assertThat(gw.gwAdd().length()).isZero();
        var client = (GwInfo) one(b(0x07, 0x02, 0x07 /* GwId */, 0xC0, 0xA8, 0x00, 0x01 /* GwAdd 192.168.0.1 */));
        assertThat(client.gwAdd().hex()).isEqualTo("c0a80001");
    }

    @Test
    void decode_gwinfo_malformed() {
        assertThat(malformed(b(0x02, 0x02)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE); // no GwId
    }

    @Test
    void decode_connect() {
        var m = (Connect) one(b(0x0A /* Length 10 */, 0x04 /* CONNECT */, 0x0C /* Will + CleanSession */,
                0x01 /* ProtocolId */, 0x00, 0x1E /* Duration 30 */, 'c', 'l', '-', '1' /* ClientId */));
        assertThat(m.flags().will()).isTrue();
        assertThat(m.flags().cleanSession()).isTrue();
        assertThat(m.flags().dup()).isFalse();
        assertThat(m.protocolId()).isEqualTo(1);
        assertThat(m.duration()).isEqualTo(30);
        assertThat(m.clientId()).isEqualTo("cl-1");
    }

    @Test
    void decode_connect_malformed() {
        var m = malformed(b(0x05, 0x04, 0x04, 0x01, 0x00)); // Duration cut
        assertThat(m.reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(m.detail()).contains("CONNECT").contains("at least 6");
    }

    @Test
    void decode_connack_with_each_return_code() {
        var ok = (ConnAck) one(b(0x03, 0x05 /* CONNACK */, 0x00 /* Accepted */));
        assertThat(ok.returnCodeName()).isEqualTo(MqttSnReturnCode.ACCEPTED);
        assertThat(((ConnAck) one(b(0x03, 0x05, 0x01))).returnCodeName().label()).isEqualTo("Rejected: congestion");
        assertThat(((ConnAck) one(b(0x03, 0x05, 0x02))).returnCodeName())
                .isEqualTo(MqttSnReturnCode.REJECTED_INVALID_TOPIC_ID);
        assertThat(((ConnAck) one(b(0x03, 0x05, 0x03))).returnCodeName())
                .isEqualTo(MqttSnReturnCode.REJECTED_NOT_SUPPORTED);
        var reserved = (ConnAck) one(b(0x03, 0x05, 0x42));
        assertThat(reserved.returnCode()).isEqualTo(0x42);
        assertThat(reserved.returnCodeName()).isEqualTo(MqttSnReturnCode.RESERVED);
    }

    @Test
    void decode_connack_malformed() {
        assertThat(malformed(b(0x02, 0x05)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x04, 0x05, 0x00, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_willtopicreq_and_willmsgreq() {
        assertThat(one(b(0x02, 0x06))).isInstanceOf(WillTopicReq.class);
        assertThat(one(b(0x02, 0x08))).isInstanceOf(WillMsgReq.class);
        assertThat(malformed(b(0x03, 0x06, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x03, 0x08, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_willtopic_and_its_empty_form() {
        var m = (WillTopic) one(b(0x06, 0x07 /* WILLTOPIC */, 0x50 /* QoS 2 + Retain */, 'a', '/', 'b'));
        assertThat(m.flags().qos()).isEqualTo(2);
        assertThat(m.flags().retain()).isTrue();
        assertThat(m.willTopic()).isEqualTo("a/b");
        var empty = (WillTopic) one(b(0x02, 0x07)); // 5.4.8: exactly 2 octets deletes the Will
        assertThat(empty.empty()).isTrue();
        assertThat(empty.willTopic()).isEmpty();
    }

    @Test
    void decode_willmsg() {
        var m = (WillMsg) one(b(0x05, 0x09 /* WILLMSG */, 'b', 'y', 'e'));
        assertThat(m.willMsg().text()).isEqualTo("bye");
        assertThat(m.willMsg().length()).isEqualTo(3);
    }

    @Test
    void decode_register() {
        var m = (Register) one(b(0x09, 0x0A /* REGISTER */, 0x00, 0x00 /* TopicId */, 0x12, 0x34 /* MsgId */, 't', '/', 'x'));
        assertThat(m.topicId()).isZero();
        assertThat(m.msgId()).isEqualTo(0x1234);
        assertThat(m.topicName()).isEqualTo("t/x");
        assertThat(malformed(b(0x05, 0x0A, 0x00, 0x00, 0x12)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_regack() {
        var m = (RegAck) one(b(0x07, 0x0B /* REGACK */, 0x00, 0x2A /* TopicId */, 0x00, 0x01 /* MsgId */, 0x02 /* invalid topic */));
        assertThat(m).isEqualTo(new RegAck(new MqttSnHeader(7, 2, 0x0B), 42, 1, 2));
        assertThat(malformed(b(0x08, 0x0B, 0, 0x2A, 0, 1, 0, 0)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_publish_normal_topic_id() {
        var m = (Publish) one(b(0x0A, 0x0C /* PUBLISH */, 0x20 /* QoS 1, normal id */, 0x00, 0x2A /* TopicId 42 */,
                0x00, 0x07 /* MsgId */, 'o', 'n', '!' /* Data */));
        assertThat(m.flags().qos()).isEqualTo(1);
        assertThat(m.flags().topicIdType()).isEqualTo(MqttSnTopicIdType.NORMAL);
        assertThat(m.topic()).isEqualTo(new MqttSnTopic.NormalId(42));
        assertThat(m.shortTopicName()).isNull();
        assertThat(m.msgId()).isEqualTo(7);
        assertThat(m.data().text()).isEqualTo("on!");
        assertThat(m.typeName()).isEqualTo("PUBLISH");
    }

    @Test
    void decode_publish_qos_minus_one_short_name_dup_retain() {
        var m = (Publish) one(b(0x08, 0x0C, 0xF2 /* DUP, QoS 0b11, Retain, short name */, 'a', 'b' /* "ab" */,
                0x00, 0x00 /* MsgId */, 0x01 /* Data */));
        assertThat(m.flags().dup()).isTrue();
        assertThat(m.flags().qos()).isEqualTo(-1);
        assertThat(m.flags().qosBits()).isEqualTo(3);
        assertThat(m.flags().retain()).isTrue();
        assertThat(m.shortTopicName()).isEqualTo("ab");
        assertThat(m.topic().idType()).isEqualTo(MqttSnTopicIdType.SHORT_NAME);
    }

    @Test
    void decode_publish_predefined_and_reserved_topic_types_with_binary_data() {
        var m = (Publish) one(b(0x09, 0x0C, 0x01 /* predefined */, 0x00, 0x05, 0x00, 0x01, 0xFF, 0xFE /* not UTF-8 */));
        assertThat(m.topic()).isEqualTo(new MqttSnTopic.PredefinedId(5));
        assertThat(m.data().text()).isNull();
        assertThat(m.data().bytes().hex()).isEqualTo("fffe");
        var r = (Publish) one(b(0x07, 0x0C, 0x03 /* reserved */, 0x12, 0x34, 0x00, 0x01));
        assertThat(r.topic()).isEqualTo(new MqttSnTopic.Reserved("1234"));
        assertThat(r.data().length()).isZero();
    }

    @Test
    void decode_publish_data_beyond_stored_limit_keeps_true_length() {
        var limits = new Limits.MqttSn(8, 1, 2);
        var m = (Publish) MqttSnDecoder.decode(ByteView.of(b(0x0B, 0x0C, 0x00, 0x00, 0x01, 0x00, 0x00, 'a', 'b', 'c', 'd')),
                limits).value().get(0);
        assertThat(m.data().length()).isEqualTo(4);
        assertThat(m.data().bytes().hex()).isEqualTo("6162");
        assertThat(m.data().cut()).isTrue();
        assertThat(m.data().text()).isNull();
    }

    @Test
    void decode_publish_malformed() {
        // MsgId cut: Length 6 leaves Flags + TopicId + one octet
        var m = malformed(b(0x06, 0x0C, 0x00, 0x00, 0x01, 0x00));
        assertThat(m.reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(m.detail()).contains("at least 7");
    }

    @Test
    void decode_puback_pubcomp_pubrec_pubrel() {
        var ack = (PubAck) one(b(0x07, 0x0D /* PUBACK */, 0x00, 0x2A, 0x00, 0x07, 0x03 /* not supported */));
        assertThat(ack.topicId()).isEqualTo(42);
        assertThat(ack.msgId()).isEqualTo(7);
        assertThat(ack.returnCodeName()).isEqualTo(MqttSnReturnCode.REJECTED_NOT_SUPPORTED);
        assertThat(one(b(0x04, 0x0E, 0x00, 0x09))).isEqualTo(new PubComp(new MqttSnHeader(4, 2, 0x0E), 9));
        assertThat(one(b(0x04, 0x0F, 0x00, 0x09))).isEqualTo(new PubRec(new MqttSnHeader(4, 2, 0x0F), 9));
        assertThat(one(b(0x04, 0x10, 0x00, 0x09))).isEqualTo(new PubRel(new MqttSnHeader(4, 2, 0x10), 9));
        assertThat(one(b(0x04, 0x10, 0x00, 0x09)).typeName()).isEqualTo("PUBREL");
    }

    @Test
    void decode_puback_pubrel_malformed() {
        assertThat(malformed(b(0x06, 0x0D, 0x00, 0x2A, 0x00, 0x07)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x03, 0x10, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x05, 0x0E, 0x00, 0x01, 0x02)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_subscribe_each_topic_form() {
        var name = (Subscribe) one(b(0x08, 0x12 /* SUBSCRIBE */, 0xA0 /* DUP + QoS 1, topic name */, 0x00, 0x03 /* MsgId */, 'a', '/', '#'));
        assertThat(name.flags().dup()).isTrue();
        assertThat(name.flags().qos()).isEqualTo(1);
        assertThat(name.msgId()).isEqualTo(3);
        assertThat(name.topic()).isEqualTo(new MqttSnTopic.Name("a/#"));
        var predefined = (Subscribe) one(b(0x07, 0x12, 0x01 /* predefined */, 0x00, 0x03, 0x00, 0x10 /* TopicId 16 */));
        assertThat(predefined.topic()).isEqualTo(new MqttSnTopic.PredefinedId(16));
        var shortName = (Subscribe) one(b(0x07, 0x12, 0x02 /* short name */, 0x00, 0x03, 'x', 'y'));
        assertThat(shortName.topic()).isEqualTo(new MqttSnTopic.ShortName("xy"));
    }

    @Test
    void decode_subscribe_malformed() {
        // a predefined TopicId must be exactly 2 octets
        assertThat(malformed(b(0x08, 0x12, 0x01, 0x00, 0x03, 0x00, 0x10, 0x00)).reason())
                .isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x04, 0x12, 0x00, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_suback() {
        var m = (SubAck) one(b(0x08, 0x13 /* SUBACK */, 0x40 /* QoS 2 */, 0x00, 0x11 /* TopicId */, 0x00, 0x03 /* MsgId */, 0x00));
        assertThat(m.flags().qos()).isEqualTo(2);
        assertThat(m.topicId()).isEqualTo(0x11);
        assertThat(m.msgId()).isEqualTo(3);
        assertThat(m.returnCodeName()).isEqualTo(MqttSnReturnCode.ACCEPTED);
        assertThat(malformed(b(0x07, 0x13, 0x40, 0x00, 0x11, 0x00, 0x03)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_unsubscribe_and_unsuback() {
        var m = (Unsubscribe) one(b(0x06, 0x14 /* UNSUBSCRIBE */, 0x00, 0x00, 0x04 /* MsgId */, 'q'));
        assertThat(m.topic()).isEqualTo(new MqttSnTopic.Name("q"));
        assertThat(m.typeName()).isEqualTo("UNSUBSCRIBE");
        assertThat(one(b(0x04, 0x15 /* UNSUBACK */, 0x00, 0x04))).isEqualTo(new UnsubAck(new MqttSnHeader(4, 2, 0x15), 4));
        assertThat(malformed(b(0x02, 0x15)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_pingreq_with_and_without_client_id_and_pingresp() {
        var plain = (PingReq) one(b(0x02, 0x16));
        assertThat(plain.hasClientId()).isFalse();
        var sleeping = (PingReq) one(b(0x04, 0x16, 'c', '9'));
        assertThat(sleeping.hasClientId()).isTrue();
        assertThat(sleeping.clientId()).isEqualTo("c9");
        assertThat(one(b(0x02, 0x17))).isInstanceOf(PingResp.class);
        assertThat(malformed(b(0x03, 0x17, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_disconnect_with_and_without_duration() {
        assertThat(((Disconnect) one(b(0x02, 0x18))).duration()).isEqualTo(-1);
        assertThat(((Disconnect) one(b(0x04, 0x18, 0x01, 0x00 /* Duration 256 */))).duration()).isEqualTo(256);
        assertThat(malformed(b(0x03, 0x18, 0x01)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_will_updates_and_responses() {
        var tu = (WillTopicUpd) one(b(0x05, 0x1A /* WILLTOPICUPD */, 0x30 /* QoS 1 + Retain */, 'w', '1'));
        assertThat(tu.flags().qos()).isEqualTo(1);
        assertThat(tu.willTopic()).isEqualTo("w1");
        assertThat(((WillTopicUpd) one(b(0x02, 0x1A))).empty()).isTrue();
        assertThat(((WillTopicResp) one(b(0x03, 0x1B, 0x00))).returnCode()).isZero();
        assertThat(((WillMsgUpd) one(b(0x04, 0x1C, 'h', 'i'))).willMsg().text()).isEqualTo("hi");
        assertThat(((WillMsgResp) one(b(0x03, 0x1D, 0x01))).returnCodeName()).isEqualTo(MqttSnReturnCode.REJECTED_CONGESTION);
        assertThat(malformed(b(0x02, 0x1B)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(malformed(b(0x04, 0x1D, 0x00, 0x00)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
    }

    @Test
    void decode_reserved_type_is_unknown_not_error() {
        var m = (Unknown) one(b(0x04, 0x03 /* reserved */, 0xAB, 0xCD));
        assertThat(m.type()).isEqualTo(3);
        assertThat(m.typeName()).isEqualTo("UNKNOWN");
        assertThat(m.body().hex()).isEqualTo("abcd");
        assertThat(((Unknown) one(b(0x02, 0xFF))).type()).isEqualTo(0xFF);
    }

    @Test
    void decode_three_octet_length_form() {
        var m = (PingResp) one(b(0x01, 0x00, 0x04 /* Length 4 */, 0x17 /* PINGRESP */));
        assertThat(m.header()).isEqualTo(new MqttSnHeader(4, 4, 0x17));
        assertThat(m.header().longForm()).isTrue();
        byte[] big = new byte[300];
        big[0] = 0x01;
        big[1] = 0x01;
        big[2] = 0x2C; // Length 300
        big[3] = 0x0C; // PUBLISH
        big[4] = 0x00; // Flags
        big[6] = 0x01; // TopicId 1
        big[8] = 0x02; // MsgId 2, then 291 octets of data
        var p = (Publish) one(big);
        assertThat(p.header().length()).isEqualTo(300);
        assertThat(p.data().length()).isEqualTo(291);
        assertThat(p.msgId()).isEqualTo(2);
    }

    @Test
    void decode_two_messages_in_one_datagram() {
        var all = MqttSnDecoder.decode(ByteView.of(b(
                0x04, 0x0F, 0x00, 0x05, /* PUBREC MsgId 5 */
                0x01, 0x00, 0x05, 0x05, 0x00 /* CONNACK, 3-octet form */))).value();
        assertThat(all).extracting(MqttSnMessage::typeName).containsExactly("PUBREC", "CONNACK");
    }

    @Test
    void decode_forwarder_encapsulation() {
        var e = (Encapsulated) one(b(0x05 /* Length of the encapsulation header */, 0xFE, 0x02 /* Ctrl: Radius 2 */,
                0x12, 0x34 /* Wireless Node Id */, 0x04, 0x0E, 0x00, 0x01 /* PUBCOMP MsgId 1 */));
        assertThat(e.typeName()).isEqualTo("ENCAPSULATED");
        assertThat(e.radius()).isEqualTo(2);
        assertThat(e.wirelessNodeId().hex()).isEqualTo("1234");
        assertThat(e.wirelessNodeIdValue()).isEqualTo(0x1234);
        assertThat(e.message()).isEqualTo(new PubComp(new MqttSnHeader(4, 2, 0x0E), 1));
    }

    @Test
    void decode_forwarder_encapsulation_malformed() {
        assertThat(malformed(b(0x03, 0xFE, 0x00)).reason()).isEqualTo(MqttSnReason.ENCAPSULATED_MESSAGE_MISSING);
        assertThat(malformed(b(0x02, 0xFE, 0x02, 0x16)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        // the inner message's own problem, at its offset in the datagram
        var inner = malformed(b(0x03, 0xFE, 0x00, 0x03, 0x0E, 0x00));
        assertThat(inner.reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(inner.offset()).isEqualTo(3);
        // nesting beyond the limit
        var limits = new Limits.MqttSn(8, 1, 100);
        var deep = MqttSnDecoder.decode(ByteView.of(b(0x03, 0xFE, 0x00, 0x03, 0xFE, 0x00, 0x02, 0x16)), limits);
        assertThat(((DecodeResult.Malformed<?>) deep).reason()).isEqualTo(MqttSnReason.ENCAPSULATION_TOO_DEEP);
    }

    @Test
    void decode_empty_datagram_malformed() {
        assertThat(malformed(new byte[0]).reason()).isEqualTo(MqttSnReason.EMPTY_DATAGRAM);
    }

    @Test
    void decode_length_zero_malformed() {
        var m = malformed(b(0x00, 0x16));
        assertThat(m.reason()).isEqualTo(MqttSnReason.LENGTH_TOO_SMALL);
        assertThat(m.offset()).isZero();
    }

    @Test
    void decode_one_octet_malformed() {
        assertThat(malformed(b(0x02)).reason()).isEqualTo(MqttSnReason.TOO_SHORT);
    }

    @Test
    void decode_length_beyond_datagram_malformed() {
        var m = malformed(b(0x05, 0x0E, 0x00, 0x01)); // Length 5, 4 octets sent
        assertThat(m.reason()).isEqualTo(MqttSnReason.LENGTH_EXCEEDS_DATAGRAM);
    }

    @Test
    void decode_three_octet_form_too_short_malformed() {
        assertThat(malformed(b(0x01, 0x00, 0x04)).reason()).isEqualTo(MqttSnReason.TOO_SHORT); // no MsgType
        assertThat(malformed(b(0x01, 0x00, 0x03, 0x16)).reason()).isEqualTo(MqttSnReason.LENGTH_TOO_SMALL);
        assertThat(malformed(b(0x01, 0x00, 0x00, 0x16)).reason()).isEqualTo(MqttSnReason.LENGTH_TOO_SMALL);
    }

    @Test
    void decode_second_message_malformed_at_its_offset() {
        byte[] d = b(0x02, 0x17 /* PINGRESP */, 0x05, 0x0E, 0x00, 0x01 /* Length 5 past the end */);
        var m = malformed(d);
        assertThat(m.reason()).isEqualTo(MqttSnReason.LENGTH_EXCEEDS_DATAGRAM);
        assertThat(m.offset()).isEqualTo(2);
        var all = MqttSnDecoder.decodeAll(ByteView.of(d));
        assertThat(all).hasSize(2);
        assertThat(all.get(0).value()).isInstanceOf(PingResp.class);
    }

    @Test
    void decodeAll_continues_after_a_message_with_a_bad_body() {
        var all = MqttSnDecoder.decodeAll(ByteView.of(b(0x03, 0x17, 0x00 /* PINGRESP with a body */, 0x02, 0x16)));
        assertThat(all).hasSize(2);
        assertThat(((DecodeResult.Malformed<?>) all.get(0)).reason()).isEqualTo(MqttSnReason.BAD_LENGTH_FOR_TYPE);
        assertThat(all.get(1).value()).isInstanceOf(PingReq.class);
    }

    @Test
    void decode_cut_by_snap_length_is_truncated() {
        byte[] sent = b(0x07, 0x0D, 0x00, 0x0A, 0x00, 0x02, 0x00);
        ByteView captured = ByteView.of(sent, 0, 4).withReported(7);
        var r = MqttSnDecoder.decode(captured);
        assertThat(r).isEqualTo(DecodeResult.truncated(7, 4));
    }

    @Test
    void decode_too_many_messages_malformed() {
        var r = MqttSnDecoder.decode(ByteView.of(b(0x02, 0x16, 0x02, 0x16, 0x02, 0x16)), new Limits.MqttSn(2, 1, 10));
        assertThat(((DecodeResult.Malformed<?>) r).reason()).isEqualTo(MqttSnReason.TOO_MANY_MESSAGES);
        assertThat(((DecodeResult.Malformed<?>) r).offset()).isEqualTo(4);
    }

    @Test
    void looksLike_is_strict() {
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x07, 0x0D, 0x00, 0x0A, 0x00, 0x02, 0x00)))).isTrue();
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x02, 0x17, 0x02, 0x16)))).isTrue();
        // CONNECT with ProtocolId 0x02
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x07, 0x04, 0x04, 0x02, 0x00, 0x1E, 'c')))).isFalse();
        // reserved MsgType
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x02, 0x03)))).isFalse();
        // a DNS query header: Length 0x12 runs past the datagram
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00)))).isFalse();
        // a topic name that is not UTF-8
        assertThat(MqttSnDecoder.looksLike(ByteView.of(b(0x07, 0x0A, 0x00, 0x00, 0x00, 0x01, 0xFF)))).isFalse();
        assertThat(MqttSnDecoder.looksLike(ByteView.empty())).isFalse();
    }
}
