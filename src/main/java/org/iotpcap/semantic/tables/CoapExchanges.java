package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code coap_exchanges} table: one row per distinct request, identified by (client endpoint, Message ID); the same key with the same token again is a retransmission (a new token under the same key is a new request). */
public final class CoapExchanges extends TableDeclaration {
    public static final CoapExchanges T = new CoapExchanges();

    public final Column.Text client = text("client", "the request's source address");
    public final Column.Int32 clientPort = int32("client_port", "the request's source port");
    public final Column.Text server = text("server", "the request's destination address");
    public final Column.Int32 serverPort = int32("server_port", "the request's destination port");
    public final Column.Int32 mid = int32("mid", "the request's Message ID");
    public final Column.Text token = text("token", "the request's token in hex");
    public final Column.Text type = text("type", "the request's type (`CON`, `NON`)");
    public final Column.Text method = text("method", "the request's method");
    public final Column.Text code = text("code", "the request's code");
    public final Column.Text path = text("path", "the request's resource");
    public final Column.Text query = text("query", "the request's query");
    public final Column.Text uriHost = text("uri_host", "the request's Uri-Host");
    public final Column.Int64 observe = int64("observe", "the request's Observe option");
    public final Column.Int64 firstFrame = int64("first_frame", "first copy of the request");
    public final Column.Int64 lastFrame = int64("last_frame", "last copy of the request");
    public final Column.Int64 firstNs = int64("first_ns", "time of the first copy, nanoseconds since the epoch (exact)");
    public final Column.Time firstTime = time("first_time", firstNs, "time of the first copy (UTC)");
    public final Column.Int32 requests = int32("requests", "copies seen");
    public final Column.Int32 retransmissions = int32("retransmissions", "copies beyond the first");
    public final Column.Bool answered = bool("answered", "a response was matched");
    public final Column.Text responseKind = text("response_kind", "`piggybacked` (ACK with the Message ID and token) or `separate` (CON/NON from the server with the token)");
    public final Column.Int64 responseFrame = int64("response_frame", "frame of the response");
    public final Column.Int64 responseNs = int64("response_ns", "time of the response, nanoseconds since the epoch (exact)");
    public final Column.Text responseType = text("response_type", "type of the response");
    public final Column.Text responseCode = text("response_code", "code of the response");
    public final Column.Int32 responseClass = int32("response_class", "class of the response code");
    public final Column.Int32 responseMid = int32("response_mid", "Message ID of the response");
    public final Column.Float64 rttMs = float64("rtt_ms", "response time minus first request time, in milliseconds");
    public final Column.Bool acked = bool("acked", "an ACK (empty or piggybacked) with the Message ID came from the server");
    public final Column.Int64 ackFrame = int64("ack_frame", "frame of that ACK");
    public final Column.Bool reset = bool("reset", "the server answered with RST");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private CoapExchanges() {
        super("coap_exchanges", "One row per distinct request, identified by (client endpoint, Message ID); the same key with the same token again is a retransmission (a new token under the same key is a new request).");
    }
}
