package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_connections} table: one row per TCP connection that carried MQTT. */
public final class MqttConnections extends TableDeclaration {
    public static final MqttConnections T = new MqttConnections();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Text client = text("client", "client address");
    public final Column.Int32 clientPort = int32("client_port", "client port");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text transport = text("transport", "what carried MQTT over TCP: `tcp` (plain), `tls` (decrypted TLS records), `ws` (WebSocket frames, RFC 6455), `wss` (WebSocket frames inside decrypted TLS)");
    public final Column.Text clientKey = text("client_key", "the client (see mqtt_clients)");
    public final Column.Text clientId = text("client_id", "the CONNECT's client identifier");
    public final Column.Int32 protocolLevel = int32("protocol_level", "the CONNECT's protocol level; without a CONNECT, the level inferred from the packets (null when none could be)");
    public final Column.Bool levelInferred = bool("level_inferred", "true when protocol_level was inferred (no CONNECT in the capture)");
    public final Column.Text protocolName = text("protocol_name", "the CONNECT's protocol name");
    public final Column.Bool cleanSession = bool("clean_session", "Clean Session / Clean Start");
    public final Column.Int32 keepAlive = int32("keep_alive", "keep alive in seconds");
    public final Column.Bool willFlag = bool("will_flag", "Will flag");
    public final Column.Int32 willQos = int32("will_qos", "will QoS");
    public final Column.Bool willRetain = bool("will_retain", "will retain");
    public final Column.Text willTopic = text("will_topic", "will topic");
    public final Column.Blob willPayload = blob("will_payload", "will payload");
    public final Column.Text willPayloadText = text("will_payload_text", "will payload as text when valid UTF-8");
    public final Column.Text username = text("username", "user name");
    public final Column.Bool passwordPresent = bool("password_present", "a password is present");
    public final Column.Int64 connectFrame = int64("connect_frame", "frame of the CONNECT");
    public final Column.Int64 connackFrame = int64("connack_frame", "frame of the CONNACK");
    public final Column.Int32 connackCode = int32("connack_code", "CONNACK return or reason code");
    public final Column.Int64 startFrame = int64("start_frame", "first frame of the connection");
    public final Column.Int64 endFrame = int64("end_frame", "last frame of the connection");
    public final Column.Int64 startNs = int64("start_ns", "time of the first frame, nanoseconds since the epoch (exact)");
    public final Column.Int64 endNs = int64("end_ns", "time of the last frame, nanoseconds since the epoch (exact)");
    public final Column.Time startTime = time("start_time", startNs, "time of the first frame (UTC)");
    public final Column.Time endTime = time("end_time", endNs, "time of the last frame (UTC)");
    public final Column.Text endedBy = text("ended_by", "`disconnect`, `tcp_close` (FIN without DISCONNECT), `rst`, `capture_end`, `port_reused`, `evicted`");
    public final Column.Int64 disconnectFrame = int64("disconnect_frame", "frame of the client's DISCONNECT");
    public final Column.Int64 messages = int64("messages", "MQTT packets on the connection");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttConnections() {
        super("mqtt_connections", "One row per TCP connection that carried MQTT.");
    }
}
