package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_messages} table: one row per MQTT control packet cut from the rebuilt TCP stream (one per packet wherever the segment boundaries fall; retransmitted bytes never twice). */
public final class MqttMessages extends TableDeclaration {
    public static final MqttMessages T = new MqttMessages();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Int64 frame = int64("frame", "frame of the packet's first byte");
    public final Column.Int64 endFrame = int64("end_frame", "frame of its last byte (tshark reports the packet here)");
    public final Column.Int64 timeNs = int64("time_ns", "time of the first byte, nanoseconds since the epoch (exact)");
    public final Column.Int64 endNs = int64("end_ns", "time of the last byte, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time of the first byte (UTC)");
    public final Column.Text direction = text("direction", "`c2s` (client to broker) or `s2c`");
    public final Column.Text src = text("src", "source address");
    public final Column.Int32 srcPort = int32("src_port", "source port");
    public final Column.Text dst = text("dst", "destination address");
    public final Column.Int32 dstPort = int32("dst_port", "destination port");
    public final Column.Text transport = text("transport", "`tcp`, `tls`, `ws` or `wss`, as the connection's in mqtt_connections (frames and times are those of the TCP bytes that carried the packet)");
    public final Column.Int32 protocolLevel = int32("protocol_level", "3, 4 or 5 (the connection's CONNECT governs; without one, the level inferred from packets only one version parses; 0 when unknown)");
    public final Column.Bool levelInferred = bool("level_inferred", "true when protocol_level was inferred (no CONNECT in the capture)");
    public final Column.Int64 streamOffset = int64("stream_offset", "offset of the packet's first byte in its direction's stream (with stream and direction, the packet's key; mqtt_properties refers to it)");
    public final Column.Text type = text("type", "packet type (`CONNECT`, `PUBLISH`, ...)");
    public final Column.Int32 headerFlags = int32("header_flags", "fixed header flags (byte 1, bits 3-0)");
    public final Column.Bool headerFlagsValid = bool("header_flags_valid", "the flags are those 3.1.1 §2.2.2 / 5.0 §2.1.3 fix for the type (PUBLISH: QoS below 3), checked at every level");
    public final Column.Int32 length = int32("length", "whole packet in bytes");
    public final Column.Int32 remainingLength = int32("remaining_length", "Remaining Length");
    public final Column.Bool dup = bool("dup", "PUBLISH: DUP flag");
    public final Column.Int32 qos = int32("qos", "PUBLISH: QoS");
    public final Column.Bool retain = bool("retain", "PUBLISH: RETAIN flag");
    public final Column.Text topic = text("topic", "PUBLISH: topic name (topic aliases resolved)");
    public final Column.Int32 topicAlias = int32("topic_alias", "PUBLISH: Topic Alias property");
    public final Column.Int32 packetId = int32("packet_id", "packet identifier (PUBLISH with QoS > 0, acks, SUBSCRIBE and UNSUBSCRIBE and their acks)");
    public final Column.Int32 payloadLength = int32("payload_length", "PUBLISH: payload bytes");
    public final Column.Blob payload = blob("payload", "PUBLISH: payload");
    public final Column.Text payloadText = text("payload_text", "PUBLISH: payload as text when valid UTF-8");
    public final Column.Text protocolName = text("protocol_name", "CONNECT: protocol name");
    public final Column.Text clientId = text("client_id", "CONNECT: client identifier");
    public final Column.Bool cleanSession = bool("clean_session", "CONNECT: Clean Session (3.1.1) or Clean Start (5.0)");
    public final Column.Int32 keepAlive = int32("keep_alive", "CONNECT: keep alive in seconds");
    public final Column.Bool willFlag = bool("will_flag", "CONNECT: Will flag");
    public final Column.Int32 willQos = int32("will_qos", "CONNECT: will QoS");
    public final Column.Bool willRetain = bool("will_retain", "CONNECT: will retain");
    public final Column.Text willTopic = text("will_topic", "CONNECT: will topic");
    public final Column.Blob willPayload = blob("will_payload", "CONNECT: will payload");
    public final Column.Text willPayloadText = text("will_payload_text", "CONNECT: will payload as text when valid UTF-8");
    public final Column.Text username = text("username", "CONNECT: user name");
    public final Column.Bool passwordPresent = bool("password_present", "CONNECT: a password is present");
    public final Column.Int32 passwordLength = int32("password_length", "CONNECT: password length");
    public final Column.Text password = text("password", "CONNECT: password, only with `--keep-secrets`");
    public final Column.Bool sessionPresent = bool("session_present", "CONNACK: session present");
    public final Column.Int32 returnCode = int32("return_code", "CONNACK: return code (3.1.1) or reason code (5.0)");
    public final Column.Int32 reasonCode = int32("reason_code", "acks, DISCONNECT, AUTH: reason code");
    public final Column.Text reasonName = text("reason_name", "the name of return_code or reason_code (5.0 §2.4 table 2-6; 3.1.1 §3.2.2.3)");
    public final Column.Text filters = text("filters", "SUBSCRIBE/UNSUBSCRIBE: the filters (`filter (qos n)`, comma-separated)");
    public final Column.Int32 filterCount = int32("filter_count", "SUBSCRIBE/UNSUBSCRIBE: number of filters");
    public final Column.Text codes = text("codes", "SUBACK/UNSUBACK: return or reason codes, comma-separated");
    public final Column.Text codeNames = text("code_names", "SUBACK/UNSUBACK: their names, in the same order, separated by `; `");
    public final Column.Text properties = text("properties", "MQTT 5 properties, as text for reading (typed, one row each: mqtt_properties)");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttMessages() {
        super("mqtt_messages", "One row per MQTT control packet cut from the rebuilt TCP stream (one per packet wherever the segment boundaries fall; retransmitted bytes never twice).");
    }
}
