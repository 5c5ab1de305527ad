package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/**
 * The {@code mqtt_properties} table: one row per MQTT 5.0 property (5.0 §2.2.2) of every packet, will properties
 * (5.0 §3.1.3.2) included, with its value typed; joined to {@code mqtt_messages} on (stream, direction,
 * stream_offset).
 */
public final class MqttProperties extends TableDeclaration {
    public static final MqttProperties T = new MqttProperties();

    public final Column.Int64 stream = int64("stream", "TCP connection index");
    public final Column.Text direction = text("direction", "`c2s` or `s2c`, as in mqtt_messages");
    public final Column.Int64 streamOffset = int64("stream_offset", "offset of the packet's first byte in its direction's stream (with stream and direction, the packet's key in mqtt_messages)");
    public final Column.Int64 frame = int64("frame", "frame of the packet's first byte");
    public final Column.Int64 endFrame = int64("end_frame", "frame of its last byte");
    public final Column.Text type = text("type", "packet type (`CONNECT`, `PUBLISH`, ...)");
    public final Column.Text scope = text("scope", "`packet` (the packet's own property list) or `will` (the CONNECT's will properties)");
    public final Column.Int32 position = int32("position", "0-based position in its property list (wire order)");
    public final Column.Int32 id = int32("id", "property identifier (5.0 §2.2.2.2, e.g. 38 User Property)");
    public final Column.Text name = text("name", "the spec's name (`User Property`, `Correlation Data`, ...)");
    public final Column.Text valueType = text("value_type", "`byte`, `two_byte_integer`, `four_byte_integer`, `variable_byte_integer`, `utf8_string`, `binary_data` or `utf8_string_pair`");
    public final Column.Int64 number = int64("number_value", "value of the integer types");
    public final Column.Text text = text("text_value", "value of a UTF-8 string");
    public final Column.Blob binary = blob("binary_value", "value of Binary Data (Correlation Data, Authentication Data)");
    public final Column.Text key = text("pair_name", "User Property: its name");
    public final Column.Text value = text("pair_value", "User Property: its value");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttProperties() {
        super("mqtt_properties", "One row per MQTT 5.0 property of every packet, will properties included, with its value typed; joined to mqtt_messages on (stream, direction, stream_offset).");
    }
}
