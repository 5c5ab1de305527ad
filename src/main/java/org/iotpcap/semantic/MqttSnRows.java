package org.iotpcap.semantic;

import org.iotpcap.dissect.MessageContext;
import org.iotpcap.semantic.tables.MqttSnMessages;
import org.iotpcap.table.RowWriter;
import org.iotpcap.dissect.mqttsn.MqttSnData;
import org.iotpcap.dissect.mqttsn.MqttSnFlags;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;
import org.iotpcap.dissect.mqttsn.MqttSnMessage.Encapsulated;
import org.iotpcap.dissect.mqttsn.MqttSnTopic;
import org.iotpcap.dissect.mqttsn.MqttSnTopicIdType;

/** One {@code mqttsn_messages} row per MQTT-SN message; an encapsulated message is written as its inner message. */
final class MqttSnRows {
    private MqttSnRows() {}

    static void write(RowWriter out, MessageContext c, int index, MqttSnMessage outer) {
        if (!out.enabled()) {
            return;
        }
        MqttSnMessage m = outer;
        String node = null;
        boolean encapsulated = false;
        while (m instanceof Encapsulated e && e.message() != null) {
            encapsulated = true;
            node = e.wirelessNodeId() == null ? null : e.wirelessNodeId().hex();
            m = e.message();
        }
        MqttSnFlags flags = null;
        Integer topicId = null;
        String topicName = null;
        Integer msgId = null;
        String clientId = null;
        Integer duration = null;
        Integer gwId = null;
        Integer returnCode = null;
        Integer protocolId = null;
        Integer radius = null;
        MqttSnData data = null;
        switch (m) {
            case MqttSnMessage.Advertise x -> { gwId = x.gwId(); duration = x.duration(); }
            case MqttSnMessage.SearchGw x -> radius = x.radius();
            case MqttSnMessage.GwInfo x -> gwId = x.gwId();
            case MqttSnMessage.Connect x -> {
                flags = x.flags(); protocolId = x.protocolId(); duration = x.duration(); clientId = x.clientId();
            }
            case MqttSnMessage.ConnAck x -> returnCode = x.returnCode();
            case MqttSnMessage.WillTopic x -> { flags = x.flags(); topicName = x.willTopic(); }
            case MqttSnMessage.WillMsg x -> data = x.willMsg();
            case MqttSnMessage.Register x -> { topicId = x.topicId(); msgId = x.msgId(); topicName = x.topicName(); }
            case MqttSnMessage.RegAck x -> { topicId = x.topicId(); msgId = x.msgId(); returnCode = x.returnCode(); }
            case MqttSnMessage.Publish x -> {
                flags = x.flags(); topicId = x.topicId(); msgId = x.msgId(); data = x.data();
                if (x.flags().topicIdType() == MqttSnTopicIdType.SHORT_NAME) {
                    topicName = x.shortTopicName(); // the decoder's reading (UTF-8), the one home of that rule
                }
            }
            case MqttSnMessage.PubAck x -> { topicId = x.topicId(); msgId = x.msgId(); returnCode = x.returnCode(); }
            case MqttSnMessage.PubComp x -> msgId = x.msgId();
            case MqttSnMessage.PubRec x -> msgId = x.msgId();
            case MqttSnMessage.PubRel x -> msgId = x.msgId();
            case MqttSnMessage.Subscribe x -> { flags = x.flags(); msgId = x.msgId(); topicId = id(x.topic()); topicName = name(x.topic()); }
            case MqttSnMessage.SubAck x -> { flags = x.flags(); topicId = x.topicId(); msgId = x.msgId(); returnCode = x.returnCode(); }
            case MqttSnMessage.Unsubscribe x -> { flags = x.flags(); msgId = x.msgId(); topicId = id(x.topic()); topicName = name(x.topic()); }
            case MqttSnMessage.UnsubAck x -> msgId = x.msgId();
            case MqttSnMessage.PingReq x -> clientId = x.clientId();
            case MqttSnMessage.Disconnect x -> duration = x.duration() >= 0 ? x.duration() : null;
            case MqttSnMessage.WillTopicUpd x -> { flags = x.flags(); topicName = x.willTopic(); }
            case MqttSnMessage.WillTopicResp x -> returnCode = x.returnCode();
            case MqttSnMessage.WillMsgUpd x -> data = x.willMsg();
            case MqttSnMessage.WillMsgResp x -> returnCode = x.returnCode();
            default -> { }
        }
        MqttSnMessages t = MqttSnMessages.T;
        RowWriter w = out.begin().set(t.frame, c.frame()).set(t.timeNs, c.nanos())
                .set(t.src, c.src().address().toString()).set(t.srcPort, c.src().port())
                .set(t.dst, c.dst().address().toString()).set(t.dstPort, c.dst().port())
                .set(t.indexInDatagram, index).set(t.type, m.typeName()).set(t.typeCode, m.type())
                .set(t.length, m.header().length())
                .set(t.topicId, topicId).set(t.topicName, topicName).set(t.msgId, msgId).set(t.clientId, clientId)
                .set(t.duration, duration).set(t.gatewayId, gwId).set(t.returnCode, returnCode)
                .set(t.protocolId, protocolId).set(t.radius, radius)
                .set(t.encapsulated, encapsulated).set(t.wirelessNodeId, node);
        if (returnCode != null) {
            w.set(t.returnName, org.iotpcap.dissect.mqttsn.MqttSnReturnCode.of(returnCode).label());
        }
        if (flags != null) {
            w.set(t.flags, flags.raw()).set(t.dup, flags.dup()).set(t.qos, flags.qos()).set(t.retain, flags.retain()).set(t.will, flags.will())
                    .set(t.cleanSession, flags.cleanSession())
                    .set(t.topicIdType, org.iotpcap.bytes.EnumLabels.lower(flags.topicIdType()));
        }
        if (data != null) {
            w.set(t.dataLength, data.length()).set(t.data, data.bytes()).set(t.dataText, w.wants(t.dataText) ? data.text() : null);
        }
        w.end();
    }

    private static Integer id(MqttSnTopic t) {
        return switch (t) {
            case MqttSnTopic.NormalId n -> n.id();
            case MqttSnTopic.PredefinedId p -> p.id();
            case null, default -> null;
        };
    }

    private static String name(MqttSnTopic t) {
        return switch (t) {
            case MqttSnTopic.Name n -> n.name();
            case MqttSnTopic.ShortName s -> s.name();
            case null, default -> null;
        };
    }
}
