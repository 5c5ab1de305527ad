package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code dns_answers} table: one row per A, AAAA or CNAME record of a response. */
public final class DnsAnswers extends TableDeclaration {
    public static final DnsAnswers T = new DnsAnswers();

    public final Column.Int64 frame = int64("frame", "frame of the response");
    public final Column.Int64 timeNs = int64("time_ns", "time of that frame, nanoseconds since the epoch (exact)");
    public final Column.Time time = time("time", timeNs, "time of that frame (UTC)");
    public final Column.Text section = text("section", "`answer`, `authority` or `additional`");
    public final Column.Text name = text("name", "owner name of the record");
    public final Column.Text type = text("type", "`A`, `AAAA` or `CNAME`");
    public final Column.Int32 typeCode = int32("type_code", "the record's TYPE code");
    public final Column.Text address = text("address", "the address (A, AAAA)");
    public final Column.Text target = text("target", "the canonical name (CNAME)");
    public final Column.Int64 ttl = int64("ttl", "TTL in seconds");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private DnsAnswers() {
        super("dns_answers", "One row per A, AAAA or CNAME record of a response.");
    }
}
