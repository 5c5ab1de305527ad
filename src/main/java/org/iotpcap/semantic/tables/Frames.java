package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code frames} table: one row per frame of the capture. */
public final class Frames extends TableDeclaration {
    public static final Frames T = new Frames();

    public final Column.Int64 frame = int64("frame", "frame number, 1-based as tshark numbers it");
    public final Column.Int64 timeNs = int64("time_ns", "capture timestamp, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "capture timestamp (UTC)");
    public final Column.Int32 iface = int32("interface", "capture interface id (pcapng IDB index across the file; 0 for pcap)");
    public final Column.Int32 capLen = int32("cap_len", "captured length in bytes");
    public final Column.Int64 len = int64("len", "original length on the wire in bytes");
    public final Column.Int8 ipVersion = int8("ip_version", "outer IP version, 4 or 6 (null without IP)");
    public final Column.Text src = text("src", "outer IP source address");
    public final Column.Text dst = text("dst", "outer IP destination address");
    public final Column.Text transport = text("transport", "`tcp`, `udp`, `icmp`, `icmpv6` or `ip-proto-N`");
    public final Column.Int32 srcPort = int32("src_port", "transport source port");
    public final Column.Int32 dstPort = int32("dst_port", "transport destination port");
    public final Column.Int64 stream = int64("stream", "TCP connection index, or UDP flow index (null otherwise)");
    public final Column.Text protocol = text("protocol", "`dns`, `coap`, `mqtt`, `mqttsn`, `dtls`, `tls` when the flow is bound to one (port, `--decode` or heuristic)");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private Frames() {
        super("frames", "One row per frame of the capture.");
    }
}
