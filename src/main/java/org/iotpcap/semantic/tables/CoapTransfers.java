package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code coap_transfers} table: one row per block-wise transfer (RFC 7959), reassembled. */
public final class CoapTransfers extends TableDeclaration {
    public static final CoapTransfers T = new CoapTransfers();

    public final Column.Text client = text("client", "client address");
    public final Column.Int32 clientPort = int32("client_port", "client port");
    public final Column.Text server = text("server", "server address");
    public final Column.Int32 serverPort = int32("server_port", "server port");
    public final Column.Text path = text("path", "resource");
    public final Column.Text direction = text("direction", "`response` (Block2, a response body) or `request` (Block1, a request body)");
    public final Column.Text method = text("method", "method of the request");
    public final Column.Int32 blockSize = int32("block_size", "block size in bytes");
    public final Column.Int32 blocks = int32("blocks", "blocks seen");
    public final Column.Int64 bytes = int64("bytes", "bytes reassembled");
    public final Column.Bool complete = bool("complete", "the last block (M clear) was seen after every block from 0");
    public final Column.Int64 firstFrame = int64("first_frame", "first block's frame");
    public final Column.Int64 lastFrame = int64("last_frame", "last block's frame");
    public final Column.Int64 firstNs = int64("first_ns", "time of the first block, nanoseconds since the epoch (exact)");
    public final Column.Int64 lastNs = int64("last_ns", "time of the last block, nanoseconds since the epoch (exact)");
    public final Column.Text finalCode = text("final_code", "the response to the last block");
    public final Column.Blob payload = blob("payload", "the reassembled body (at most 1 MiB)");
    public final Column.Text payloadText = text("payload_text", "the body as text when valid UTF-8");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private CoapTransfers() {
        super("coap_transfers", "One row per block-wise transfer (RFC 7959), reassembled.");
    }
}
