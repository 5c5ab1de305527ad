package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_qos_flows} table: one row per QoS 1 or 2 PUBLISH per connection and direction, with the acknowledgements that answer it (matched by packet identifier; MQTT section 4.3). Written when complete, when a new PUBLISH reuses the packet identifier, or when the connection ends. */
public final class MqttQosFlows extends TableDeclaration {
    public static final MqttQosFlows T = new MqttQosFlows();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Text direction = text("direction", "direction of the PUBLISH (`c2s`, `s2c`)");
    public final Column.Text sender = text("sender", "sender address");
    public final Column.Int32 senderPort = int32("sender_port", "sender port");
    public final Column.Text receiver = text("receiver", "receiver address");
    public final Column.Int32 receiverPort = int32("receiver_port", "receiver port");
    public final Column.Text clientKey = text("client_key", "the client");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Int32 packetId = int32("packet_id", "packet identifier");
    public final Column.Int32 qos = int32("qos", "QoS");
    public final Column.Text topic = text("topic", "topic name");
    public final Column.Bool retain = bool("retain", "RETAIN flag");
    public final Column.Int32 dupCopies = int32("dup_copies", "DUP re-sends of the same PUBLISH before an answer");
    public final Column.Int64 publishFrame = int64("publish_frame", "frame of the PUBLISH");
    public final Column.Int64 publishNs = int64("publish_ns", "time of the PUBLISH, nanoseconds since the epoch (exact)");
    public final Column.Time publishTime = time("publish_time", publishNs, "time of the PUBLISH (UTC)");
    public final Column.Int64 pubackFrame = int64("puback_frame", "frame of the PUBACK");
    public final Column.Int64 pubrecFrame = int64("pubrec_frame", "frame of the PUBREC");
    public final Column.Int64 pubrelFrame = int64("pubrel_frame", "frame of the PUBREL");
    public final Column.Int64 pubcompFrame = int64("pubcomp_frame", "frame of the PUBCOMP");
    public final Column.Bool complete = bool("complete", "PUBACK for QoS 1, PUBCOMP for QoS 2");
    public final Column.Text stoppedAfter = text("stopped_after", "`publish`, `pubrec` or `pubrel` for a flow that did not complete: the last step seen");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttQosFlows() {
        super("mqtt_qos_flows", "One row per QoS 1 or 2 PUBLISH per connection and direction, with the acknowledgements that answer it (matched by packet identifier; MQTT section 4.3). Written when complete, when a new PUBLISH reuses the packet identifier, or when the connection ends.");
    }
}
