package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqttsn_messages} table: one row per MQTT-SN message (several in one datagram count separately; a Forwarder Encapsulation is written as its inner message with `encapsulated` and `wireless_node_id`). */
public final class MqttSnMessages extends TableDeclaration {
    public static final MqttSnMessages T = new MqttSnMessages();

    public final Column.Int64 frame = int64("frame", "frame number");
    public final Column.Int64 timeNs = int64("time_ns", "time, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time (UTC)");
    public final Column.Text src = text("src", "source address");
    public final Column.Int32 srcPort = int32("src_port", "source port");
    public final Column.Text dst = text("dst", "destination address");
    public final Column.Int32 dstPort = int32("dst_port", "destination port");
    public final Column.Int32 indexInDatagram = int32("index_in_datagram", "position of the message in its datagram, from 0");
    public final Column.Text type = text("type", "message type name");
    public final Column.Int32 typeCode = int32("type_code", "MsgType");
    public final Column.Int32 length = int32("length", "Length field");
    public final Column.Int32 flags = int32("flags", "the Flags byte as sent (MQTT-SN 1.2 §5.3.4), in messages that carry one");
    public final Column.Bool dup = bool("dup", "DUP flag");
    public final Column.Int32 qos = int32("qos", "QoS (-1 for 0b11)");
    public final Column.Bool retain = bool("retain", "Retain flag");
    public final Column.Bool will = bool("will", "Will flag");
    public final Column.Bool cleanSession = bool("clean_session", "CleanSession flag");
    public final Column.Text topicIdType = text("topic_id_type", "`normal`, `predefined`, `short_name`, `reserved`");
    public final Column.Int32 topicId = int32("topic_id", "TopicId");
    public final Column.Text topicName = text("topic_name", "REGISTER's name, a SUBSCRIBE/UNSUBSCRIBE name, or a short topic name");
    public final Column.Int32 msgId = int32("msg_id", "MsgId");
    public final Column.Text clientId = text("client_id", "ClientId");
    public final Column.Int32 duration = int32("duration", "Duration");
    public final Column.Int32 gatewayId = int32("gateway_id", "GwId");
    public final Column.Int32 returnCode = int32("return_code", "ReturnCode");
    public final Column.Text returnName = text("return_name", "ReturnCode's meaning (MQTT-SN 1.2 §5.3.10: `Accepted`, `Rejected: congestion`, ...)");
    public final Column.Int32 protocolId = int32("protocol_id", "ProtocolId");
    public final Column.Int32 radius = int32("radius", "Radius");
    public final Column.Int32 dataLength = int32("data_length", "Data bytes");
    public final Column.Blob data = blob("data", "Data");
    public final Column.Text dataText = text("data_text", "Data as text when valid UTF-8");
    public final Column.Bool encapsulated = bool("encapsulated", "carried in a Forwarder Encapsulation");
    public final Column.Text wirelessNodeId = text("wireless_node_id", "the encapsulation's Wireless Node Id in hex");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttSnMessages() {
        super("mqttsn_messages", "One row per MQTT-SN message (several in one datagram count separately; a Forwarder Encapsulation is written as its inner message with `encapsulated` and `wireless_node_id`).");
    }
}
