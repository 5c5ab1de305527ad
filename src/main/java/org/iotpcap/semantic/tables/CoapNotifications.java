package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code coap_notifications} table: one row per Observe notification (RFC 7641): a response with an Observe option from the server to a client that registered (GET with Observe 0) with that token. */
public final class CoapNotifications extends TableDeclaration {
    public static final CoapNotifications T = new CoapNotifications();

    public final Column.Text client = text("client", "client address");
    public final Column.Int32 clientPort = int32("client_port", "client port");
    public final Column.Text server = text("server", "server address");
    public final Column.Int32 serverPort = int32("server_port", "server port");
    public final Column.Text token = text("token", "token in hex");
    public final Column.Text path = text("path", "resource of the registration");
    public final Column.Int64 registrationFrame = int64("registration_frame", "frame of the registration");
    public final Column.Int64 frame = int64("frame", "frame of the notification");
    public final Column.Int64 timeNs = int64("time_ns", "time, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time (UTC)");
    public final Column.Text type = text("type", "type of the notification");
    public final Column.Int32 mid = int32("mid", "its Message ID");
    public final Column.Text code = text("code", "its code");
    public final Column.Int64 observe = int64("observe", "its Observe sequence number");
    public final Column.Int32 payloadLength = int32("payload_length", "payload bytes");
    public final Column.Text payloadText = text("payload_text", "payload as text when valid UTF-8");
    public final Column.Bool retransmission = bool("retransmission", "a CON notification whose Message ID the server already used for this observation");
    public final Column.Bool fresh = bool("fresh", "newer than the last fresh notification by RFC 7641 section 3.4 (24-bit serial arithmetic, or more than 128 s later)");
    public final Column.Bool samePayloadAsPrevious = bool("same_payload_as_previous", "the payload equals the last fresh notification's");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private CoapNotifications() {
        super("coap_notifications", "One row per Observe notification (RFC 7641): a response with an Observe option from the server to a client that registered (GET with Observe 0) with that token.");
    }
}
