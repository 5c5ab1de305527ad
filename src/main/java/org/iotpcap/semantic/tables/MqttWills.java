package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_wills} table: one row per connection whose CONNECT carries a will. */
public final class MqttWills extends TableDeclaration {
    public static final MqttWills T = new MqttWills();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Text clientKey = text("client_key", "the client");
    public final Column.Text clientId = text("client_id", "the CONNECT's client identifier");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text willTopic = text("will_topic", "will topic");
    public final Column.Blob willPayload = blob("will_payload", "will payload");
    public final Column.Text willPayloadText = text("will_payload_text", "will payload as text when valid UTF-8");
    public final Column.Int32 willQos = int32("will_qos", "will QoS");
    public final Column.Bool willRetain = bool("will_retain", "will retain");
    public final Column.Int64 connectFrame = int64("connect_frame", "frame of the CONNECT");
    public final Column.Bool fired = bool("fired", "the connection ended without DISCONNECT (a FIN or RST first), or with an MQTT 5 DISCONNECT of reason 0x04, and the CONNECT was not refused");
    public final Column.Int64 firedFrame = int64("fired_frame", "frame where it fired");
    public final Column.Text endedBy = text("ended_by", "how the connection ended (as mqtt_connections.ended_by)");
    public final Column.Int64 deliveries = int64("deliveries", "deliveries recognised as this will");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttWills() {
        super("mqtt_wills", "One row per connection whose CONNECT carries a will.");
    }
}
