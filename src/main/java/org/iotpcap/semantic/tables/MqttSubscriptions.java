package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_subscriptions} table: one row per topic filter subscribed in a session. */
public final class MqttSubscriptions extends TableDeclaration {
    public static final MqttSubscriptions T = new MqttSubscriptions();

    public final Column.Int64 subscription = int64("subscription", "subscription index within the capture (mqtt_deliveries.subscription)");
    public final Column.Int64 session = int64("session", "the session holding it (mqtt_sessions.session, within the capture)");
    public final Column.Int64 stream = int64("stream", "TCP connection of the SUBSCRIBE");
    public final Column.Text clientKey = text("client_key", "the client");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text filter = text("filter", "topic filter");
    public final Column.Int32 qos = int32("qos", "requested maximum QoS");
    public final Column.Bool noLocal = bool("no_local", "MQTT 5 No Local");
    public final Column.Bool retainAsPublished = bool("retain_as_published", "MQTT 5 Retain As Published");
    public final Column.Int32 retainHandling = int32("retain_handling", "MQTT 5 Retain Handling");
    public final Column.Text shareGroup = text("share_group", "ShareName of a shared subscription (`$share/ShareName/filter`, MQTT 5 4.8.2): the broker delivers each message to one member of the group");
    public final Column.Text topicFilter = text("topic_filter", "the filter topics are matched with: a shared subscription's after its ShareName, else filter (TopicFilter.topicFilter)");
    public final Column.Int32 subscriptionIdentifier = int32("subscription_identifier", "MQTT 5 Subscription Identifier of the SUBSCRIBE");
    public final Column.Text wildcard = text("wildcard", "`none`, `#`, `+`, `+#`: wildcards standing as whole levels");
    public final Column.Int32 packetId = int32("packet_id", "the SUBSCRIBE's packet identifier");
    public final Column.Int64 subscribeFrame = int64("subscribe_frame", "frame of the SUBSCRIBE");
    public final Column.Int64 subscribeNs = int64("subscribe_ns", "time of the SUBSCRIBE, nanoseconds since the epoch (exact)");
    public final Column.Int64 subackFrame = int64("suback_frame", "frame of the SUBACK");
    public final Column.Int32 subackCode = int32("suback_code", "the SUBACK's code for this filter");
    public final Column.Bool granted = bool("granted", "SUBACK code below 0x80");
    public final Column.Int64 removedFrame = int64("removed_frame", "frame where the subscription ended (as mqtt_sessions.end_frame when its session ended; null when it outlived the capture)");
    public final Column.Text removedBy = text("removed_by", "`unsubscribe`, `replaced` (a new SUBSCRIBE of the same filter), `connection_end` (its session ended with its connection), `session_end` (its persistent session ended: mqtt_sessions.ended_by), `capture_end` (its persistent session was held when the capture ended), `limit`");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttSubscriptions() {
        super("mqtt_subscriptions", "One row per topic filter subscribed in a session (held across the connections of a persistent one).");
    }
}
