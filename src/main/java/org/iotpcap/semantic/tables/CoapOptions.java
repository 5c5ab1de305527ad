package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/**
 * The {@code coap_options} table: one row per option of every CoAP message (RFC 7252 §3.1, §5.10), in wire order,
 * its value typed by the option's registered format; joined to {@code coap_messages} on {@code (capture, frame)}.
 */
public final class CoapOptions extends TableDeclaration {
    public static final CoapOptions T = new CoapOptions();

    public final Column.Int64 frame = int64("frame", "frame of the message (its key in coap_messages)");
    public final Column.Int32 position = int32("position", "0-based position among the message's options (wire order)");
    public final Column.Int32 number = int32("number", "option number (deltas summed)");
    public final Column.Text name = text("name", "registry name (`Uri-Path`, `Observe`, ...), `Unknown(n)` when unregistered");
    public final Column.Text format = text("format", "registered value format: `empty`, `opaque`, `uint`, `string` or `unknown`");
    public final Column.Int32 length = int32("length", "value length in bytes");
    public final Column.Int64 uintValue = int64("uint_value", "value of a uint option (up to 4 bytes)");
    public final Column.Text stringValue = text("string_value", "value of a string option (UTF-8)");
    public final Column.Blob rawValue = blob("raw_value", "the value bytes, whatever the format");
    public final Column.Bool critical = bool("critical", "critical option: odd number (RFC 7252 §5.4.1)");
    public final Column.Bool unsafe = bool("unsafe", "unsafe to forward: bit 1 of the number (RFC 7252 §5.4.2)");
    public final Column.Bool noCacheKey = bool("no_cache_key", "NoCacheKey: bits 2-4 of the number are all 1 (RFC 7252 §5.4.2)");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private CoapOptions() {
        super("coap_options", "One row per option of every CoAP message, in wire order, its value typed by the option's registered format; joined to coap_messages on (capture, frame).");
    }
}
