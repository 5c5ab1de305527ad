package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_sessions} table: one row per MQTT session as the broker holds it, across the client's connections. */
public final class MqttSessions extends TableDeclaration {
    public static final MqttSessions T = new MqttSessions();

    public final Column.Int64 session = int64("session", "session index within the capture (mqtt_subscriptions.session, mqtt_deliveries.session)");
    public final Column.Text clientKey = text("client_key", "the client (see mqtt_clients)");
    public final Column.Text clientId = text("client_id", "the CONNECT's client identifier");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Int32 protocolLevel = int32("protocol_level", "protocol level of its last connection");
    public final Column.Bool persistent = bool("persistent", "outlives its connection: Clean Session 0 (3.1.1), or a Session Expiry Interval above 0 (5.0), on its last connection");
    public final Column.Int64 expiryInterval = int64("expiry_interval", "MQTT 5 Session Expiry Interval in seconds as last set (CONNECT, CONNACK or DISCONNECT; 4294967295: never); null for 3.1.1, whose brokers choose (mosquitto: persistent_client_expiration)");
    public final Column.Int64 firstStream = int64("first_stream", "the connection that opened it");
    public final Column.Int64 lastStream = int64("last_stream", "its last connection");
    public final Column.Int32 connections = int32("connections", "connections that opened or resumed it");
    public final Column.Int32 resumed = int32("resumed", "connections whose CONNACK said Session Present");
    public final Column.Bool presentAtStart = bool("present_at_start", "its first connection in the capture was answered Session Present: the session began before the capture");
    public final Column.Int64 startFrame = int64("start_frame", "frame of the CONNECT that opened it");
    public final Column.Int64 startNs = int64("start_ns", "time of that CONNECT, nanoseconds since the epoch (exact)");
    public final Column.Time startTime = time("start_time", startNs, "time of that CONNECT (UTC)");
    public final Column.Int64 endFrame = int64("end_frame", "frame where it ended: its connection's last frame, the CONNECT or CONNACK that ended it, for `expired` the first MQTT packet after its expiry; null when held at the end of the capture");
    public final Column.Text endedBy = text("ended_by", "`connection_end` (not persistent), `clean_start` (a CONNECT with Clean Session / Clean Start 1), `expired` (its Session Expiry Interval passed while no connection held it), `not_present` (the broker answered a Clean Start 0 CONNECT with Session Present 0), `refused` (the CONNACK refused the CONNECT: no broker session; the row holds what the client sent on that connection), `capture_end` (held when the capture ended), `limit`");
    public final Column.Int32 subscriptions = int32("subscriptions", "subscriptions made in it");
    public final Column.Int64 deliveries = int64("deliveries", "PUBLISHes the broker delivered to it");
    public final Column.Int64 queuedDeliveries = int64("queued_deliveries", "deliveries of messages published before the connection they came on began: held for the session while no connection held it (mqtt_deliveries.kind = 'queued')");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttSessions() {
        super("mqtt_sessions", "One row per MQTT session as the broker holds it, across the client's connections.");
    }
}
