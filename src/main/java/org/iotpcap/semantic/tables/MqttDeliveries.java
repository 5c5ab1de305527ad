package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_deliveries} table: one row per PUBLISH from a broker to a client. */
public final class MqttDeliveries extends TableDeclaration {
    public static final MqttDeliveries T = new MqttDeliveries();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Int64 frame = int64("frame", "frame of the PUBLISH's first byte");
    public final Column.Int64 endFrame = int64("end_frame", "frame of its last byte");
    public final Column.Int64 timeNs = int64("time_ns", "time of the first byte, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time of the first byte (UTC)");
    public final Column.Text clientKey = text("client_key", "the receiving client");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text topic = text("topic", "topic name");
    public final Column.Int32 qos = int32("qos", "QoS");
    public final Column.Bool retain = bool("retain", "RETAIN flag");
    public final Column.Bool dup = bool("dup", "DUP flag");
    public final Column.Int32 packetId = int32("packet_id", "packet identifier (QoS > 0)");
    public final Column.Int32 payloadLength = int32("payload_length", "payload bytes");
    public final Column.Text payloadText = text("payload_text", "payload as text when valid UTF-8");
    public final Column.Text matchingFilters = text("matching_filters", "the subscriptions of that connection, made before the delivery and not refused, whose filters match the topic level by level, space-separated");
    public final Column.Int32 matches = int32("matches", "number of matching filters");
    public final Column.Bool exactMatch = bool("exact_match", "one of them has no wildcard");
    public final Column.Bool wildcardMatch = bool("wildcard_match", "one of them has a wildcard");
    public final Column.Bool isWill = bool("is_will", "topic and payload equal the will of a connection to the same broker that fired before this delivery");
    public final Column.Int64 willStream = int64("will_stream", "that connection");
    public final Column.Text willClientKey = text("will_client_key", "that connection's client");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttDeliveries() {
        super("mqtt_deliveries", "One row per PUBLISH from a broker to a client.");
    }
}
