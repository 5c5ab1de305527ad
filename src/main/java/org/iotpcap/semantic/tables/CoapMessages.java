package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code coap_messages} table: one row per CoAP message. */
public final class CoapMessages extends TableDeclaration {
    public static final CoapMessages T = new CoapMessages();

    public final Column.Int64 frame = int64("frame", "frame number");
    public final Column.Int64 timeNs = int64("time_ns", "time, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time (UTC)");
    public final Column.Text src = text("src", "source address");
    public final Column.Int32 srcPort = int32("src_port", "source port");
    public final Column.Text dst = text("dst", "destination address");
    public final Column.Int32 dstPort = int32("dst_port", "destination port");
    public final Column.Text type = text("type", "`CON`, `NON`, `ACK` or `RST`");
    public final Column.Text code = text("code", "code as `c.dd`");
    public final Column.Int32 codeClass = int32("code_class", "code class (0 request, 2-5 response)");
    public final Column.Int32 codeDetail = int32("code_detail", "code detail");
    public final Column.Text method = text("method", "`GET`...`iPATCH` for a request");
    public final Column.Text kind = text("kind", "`request`, `response` or `empty`");
    public final Column.Int32 mid = int32("mid", "Message ID");
    public final Column.Text token = text("token", "token in hex");
    public final Column.Int32 tokenLength = int32("token_length", "token length (TKL)");
    public final Column.Text uriHost = text("uri_host", "Uri-Host option");
    public final Column.Int32 uriPort = int32("uri_port", "Uri-Port option");
    public final Column.Text path = text("path", "the resource: `/` + Uri-Path segments joined by `/`, `/` when none");
    public final Column.Text query = text("query", "Uri-Query segments joined by `&`");
    public final Column.Int32 contentFormat = int32("content_format", "Content-Format option");
    public final Column.Int32 accept = int32("accept", "Accept option");
    public final Column.Int64 maxAge = int64("max_age", "Max-Age option");
    public final Column.Int64 observe = int64("observe", "Observe option");
    public final Column.Int64 block1Num = int64("block1_num", "Block1 NUM");
    public final Column.Bool block1More = bool("block1_more", "Block1 M");
    public final Column.Int32 block1Size = int32("block1_size", "Block1 size in bytes");
    public final Column.Int64 block2Num = int64("block2_num", "Block2 NUM");
    public final Column.Bool block2More = bool("block2_more", "Block2 M");
    public final Column.Int32 block2Size = int32("block2_size", "Block2 size in bytes");
    public final Column.Int64 size1 = int64("size1", "Size1 option");
    public final Column.Int64 size2 = int64("size2", "Size2 option");
    public final Column.Text etag = text("etag", "ETag options in hex, comma-separated");
    public final Column.Text locationPath = text("location_path", "Location-Path segments joined by `/`");
    public final Column.Text locationQuery = text("location_query", "Location-Query segments joined by `&`");
    public final Column.Text proxyUri = text("proxy_uri", "Proxy-Uri option");
    public final Column.Int32 noResponse = int32("no_response", "No-Response option (RFC 7967)");
    public final Column.Text options = text("options", "every option as `name=value`, in wire order, for reading (typed, one row each: coap_options)");
    public final Column.Int32 payloadLength = int32("payload_length", "payload bytes");
    public final Column.Blob payload = blob("payload", "payload");
    public final Column.Text payloadText = text("payload_text", "payload as text when valid UTF-8");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private CoapMessages() {
        super("coap_messages", "One row per CoAP message.");
    }
}
