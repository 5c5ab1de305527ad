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
    public final Column.Int64 session = int64("session", "the receiving session (mqtt_sessions)");
    public final Column.Int64 subscription = int64("subscription", "the subscription behind it (mqtt_subscriptions): the one the PUBLISH's Subscription Identifier names, else the matching one with the highest QoS, the earliest of equals");
    public final Column.Text subscriptionIdentifiers = text("subscription_identifiers", "MQTT 5 Subscription Identifiers of the PUBLISH, space-separated");
    public final Column.Text shareGroup = text("share_group", "ShareName when that subscription is shared");
    public final Column.Text kind = text("kind", "`retained` (a stored retained message sent to a new subscription: RETAIN set, and not a live message kept RETAIN by Retain As Published), `queued` (published before this connection began: held by the session while no connection held it), `live`");
    public final Column.Int64 retained = int64("retained", "the stored message it is (mqtt_retained), for kind retained");
    public final Column.Int64 sourceStream = int64("source_stream", "connection of the client PUBLISH it forwards (mqtt_messages.stream): the latest before it to this broker with the same topic and payload");
    public final Column.Int64 sourceFrame = int64("source_frame", "frame of that PUBLISH (mqtt_messages.frame)");
    public final Column.Int64 sourceOffset = int64("source_offset", "its stream_offset in mqtt_messages: (source_stream, source_offset) names the one PUBLISH");
    public final Column.Text sourceClientKey = text("source_client_key", "the publishing client");
    public final Column.Text matchingFilters = text("matching_filters", "the subscriptions of the session, made before the delivery and not refused, whose filters match the topic level by level (a shared one by its filter after the ShareName; a No Local one not for the client's own messages), space-separated");
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
