package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code malformed} table: every record a layer or dissector rejected, and every limit hit (TCP gaps too, as `tcp/tcp_gap`). */
public final class Malformed extends TableDeclaration {
    public static final Malformed T = new Malformed();

    public final Column.Int64 frame = int64("frame", "frame of the rejected record (null for a capture-level record before any frame)");
    public final Column.Text layer = text("layer", "`capture`, `link`, `ipv4`, `ipv6`, `ip_fragment`, `udp`, `tcp`, `dns`, `coap`, `mqtt`, `mqttsn`, `websocket`, `semantic`");
    public final Column.Text reason = text("reason", "stable snake_case code");
    public final Column.Text detail = text("detail", "a sentence saying what was wrong");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private Malformed() {
        super("malformed", "Every record a layer or dissector rejected, and every limit hit (TCP gaps too, as `tcp/tcp_gap`).");
    }
}
