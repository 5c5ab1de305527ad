package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code tcp_connections} table: one row per TCP connection. */
public final class TcpConnections extends TableDeclaration {
    public static final TcpConnections T = new TcpConnections();

    public final Column.Int64 stream = int64("stream", "connection index, numbered from 0 as tshark numbers `tcp.stream`");
    public final Column.Text client = text("client", "client address: the SYN sender; without a handshake, the side with the higher port");
    public final Column.Int32 clientPort = int32("client_port", "client port");
    public final Column.Text server = text("server", "server address");
    public final Column.Int32 serverPort = int32("server_port", "server port");
    public final Column.Bool handshake = bool("handshake", "the client is known from SYN/SYN-ACK");
    public final Column.Int64 firstFrame = int64("first_frame", "first frame of the connection");
    public final Column.Int64 lastFrame = int64("last_frame", "last frame of the connection");
    public final Column.Int64 startNs = int64("start_ns", "time of the first frame, nanoseconds since the epoch (exact)");
    public final Column.Int64 endNs = int64("end_ns", "time of the last frame, nanoseconds since the epoch (exact)");
    public final Column.Time startTime = time("start_time", startNs, "time of the first frame (UTC)");
    public final Column.Time endTime = time("end_time", endNs, "time of the last frame (UTC)");
    public final Column.Int64 bytesFromClient = int64("bytes_from_client", "rebuilt stream bytes from the client");
    public final Column.Int64 bytesFromServer = int64("bytes_from_server", "rebuilt stream bytes from the server");
    public final Column.Int64 retransmissions = int64("retransmissions", "segments whose bytes had all been seen before, both directions");
    public final Column.Int64 gaps = int64("gaps", "holes declared in the rebuilt streams (bytes never captured), both directions");
    public final Column.Text endReason = text("end_reason", "`fin`, `half_closed`, `rst`, `capture_end`, `reused`, `evicted`");
    public final Column.Text protocol = text("protocol", "the protocol bound to the connection (`mqtt`, `dns`, `tls`), null when none");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private TcpConnections() {
        super("tcp_connections", "One row per TCP connection.");
    }
}
