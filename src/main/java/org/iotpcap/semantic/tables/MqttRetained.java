package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_retained} table: one row per retained message as a broker stores it, from set to replaced, cleared or expired. */
public final class MqttRetained extends TableDeclaration {
    public static final MqttRetained T = new MqttRetained();

    public final Column.Int64 retained = int64("retained", "retained message index within the capture (mqtt_deliveries.retained)");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text topic = text("topic", "topic name");
    public final Column.Text knownFrom = text("known_from", "`publish` (a client's PUBLISH with RETAIN set it), `will` (a fired will with Will Retain: stream and frame are the will's connection and where it fired), `delivery` (only the broker's delivery of it is in the capture)");
    public final Column.Int64 stream = int64("stream", "connection of the PUBLISH that set it (or of the first delivery)");
    public final Column.Int64 frame = int64("frame", "frame of that PUBLISH (or delivery)");
    public final Column.Int64 timeNs = int64("time_ns", "its time, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "its time (UTC)");
    public final Column.Text clientKey = text("client_key", "the publishing client, or the will's (null when known from a delivery)");
    public final Column.Int32 qos = int32("qos", "QoS of the PUBLISH");
    public final Column.Int32 payloadLength = int32("payload_length", "payload bytes");
    public final Column.Text payloadText = text("payload_text", "payload as text when valid UTF-8 and at most 1024 bytes (the whole payload: mqtt_messages at stream and frame)");
    public final Column.Int64 messageExpiry = int64("message_expiry", "MQTT 5 Message Expiry Interval in seconds");
    public final Column.Int64 expiresNs = int64("expires_ns", "when the broker drops it, nanoseconds since the epoch");
    public final Column.Text endedBy = text("ended_by", "`replaced` (a later retained PUBLISH of the topic), `cleared` (a retained PUBLISH with an empty payload), `expired`, `capture_end` (still stored), `limit`");
    public final Column.Int64 endedFrame = int64("ended_frame", "frame of the PUBLISH that replaced or cleared it");
    public final Column.Int64 subscribeDeliveries = int64("subscribe_deliveries", "deliveries of it to new subscriptions (mqtt_deliveries.kind = 'retained')");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttRetained() {
        super("mqtt_retained", "One row per retained message as a broker stores it, from set to replaced, cleared or expired.");
    }
}
