package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code dns_messages} table: one row per DNS message (UDP, or TCP with the length prefix). */
public final class DnsMessages extends TableDeclaration {
    public static final DnsMessages T = new DnsMessages();

    public final Column.Int64 frame = int64("frame", "frame where the message completes");
    public final Column.Int64 timeNs = int64("time_ns", "time of that frame, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time of that frame (UTC)");
    public final Column.Text transport = text("transport", "`udp` or `tcp`");
    public final Column.Text src = text("src", "source address");
    public final Column.Int32 srcPort = int32("src_port", "source port");
    public final Column.Text dst = text("dst", "destination address");
    public final Column.Int32 dstPort = int32("dst_port", "destination port");
    public final Column.Int32 id = int32("id", "message ID");
    public final Column.Bool response = bool("response", "QR bit: a response");
    public final Column.Int32 opcode = int32("opcode", "OPCODE");
    public final Column.Int32 rcode = int32("rcode", "RCODE");
    public final Column.Bool authoritative = bool("authoritative", "AA bit");
    public final Column.Bool truncated = bool("truncated", "TC bit");
    public final Column.Text qname = text("qname", "name of the first question (lower case as sent, no trailing dot)");
    public final Column.Int32 qtype = int32("qtype", "type of the first question");
    public final Column.Int32 questions = int32("questions", "QDCOUNT");
    public final Column.Int32 answers = int32("answers", "ANCOUNT");
    public final Column.Int32 authorities = int32("authorities", "NSCOUNT");
    public final Column.Int32 additionals = int32("additionals", "ARCOUNT");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private DnsMessages() {
        super("dns_messages", "One row per DNS message (UDP, or TCP with the length prefix).");
    }
}
