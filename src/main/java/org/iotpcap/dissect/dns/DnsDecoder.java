package org.iotpcap.dissect.dns;

import org.iotpcap.bytes.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Bytes;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.ip.IpAddress;

/**
 * Decodes one DNS message (RFC 1035 section 4.1): the header, every question and every resource record of
 * the answer, authority and additional sections. A, AAAA and CNAME data are decoded; every other type keeps
 * its type number and RDATA (hex). The same format serves mDNS (RFC 6762) and DNS over TCP once the two-octet
 * length prefix is gone (see {@link DnsTcpFramer}).
 *
 * <p><b>Names.</b> Compression pointers (RFC 1035 section 4.1.4) are followed anywhere inside the message,
 * forward ones included (as resolvers and tshark accept them), but a name may take at most
 * {@link Limits.Dns#maxPointerHops()} pointers, never the same target twice (a loop), and its expanded wire
 * form may not exceed {@link Limits.Dns#maxNameOctets()} (255, RFC 1035 section 3.1). Label types 01 and 10
 * are rejected. The text form is the one tshark 4.0 prints for {@code dns.qry.name}: labels joined by
 * {@code .} with no trailing dot, the root as {@code <Root>}; label bytes are read as UTF-8 (an invalid
 * sequence becomes U+FFFD), control characters are escaped C-style ({@code \t}, {@code \n}, ... and
 * {@code \ooo} octal for the rest, {@code \177} for DEL); a {@code .} or {@code \} inside a label is printed
 * as it is, so the text does not always give back the labels (tshark has the same ambiguity).
 *
 * <p><b>Not handled.</b> Bytes after the last record are ignored, as tshark does. EDNS (OPT) records are kept
 * raw; the extended RCODE is not merged into {@link DnsMessage#rcode()}. The decoder never throws.
 */
public final class DnsDecoder {
    private static final int HEADER = 12;
    private static final int QR = 0x8000;
    private static final int MASK_OPCODE = 0x7800;
    private static final int AA = 0x0400;
    private static final int TC = 0x0200;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;
    private static final int Z = 0x0040;
    private static final int AD = 0x0020;
    private static final int CD = 0x0010;
    private static final int MASK_RCODE = 0x000f;

    private DnsDecoder() {}

    public static DecodeResult<DnsMessage> decode(ByteView message) {
        return decode(message, Limits.Dns.DEFAULTS);
    }

    public static DecodeResult<DnsMessage> decode(ByteView m, Limits.Dns limits) {
        if (m.length() < HEADER) {
            return pastEnd(m, DnsReason.HEADER_TOO_SHORT, 0, "have " + m.length() + " of 12 header octets");
        }
        int id = m.u16(0);
        int flags = m.u16(2);
        int[] counts = {m.u16(4), m.u16(6), m.u16(8), m.u16(10)};
        String[] names = {"QDCOUNT", "ANCOUNT", "NSCOUNT", "ARCOUNT"};
        for (int i = 0; i < 4; i++) {
            if (counts[i] > limits.maxRecordsPerSection()) {
                return DecodeResult.malformed(DnsReason.TOO_MANY_RECORDS, 4 + 2 * i, names[i] + " (" + counts[i]
                        + ") exceeds limit (" + limits.maxRecordsPerSection() + ")");
            }
        }
        NameReader nr = new NameReader(m, limits);
        int pos = HEADER;
        List<DnsQuestion> questions = new ArrayList<>(Math.min(counts[0], 16));
        for (int i = 0; i < counts[0]; i++) {
            int end = nr.read(pos);
            if (end < 0) {
                return nr.error();
            }
            // QTYPE (2) + QCLASS (2)
            if (end + 4 > m.length()) {
                return pastEnd(m, DnsReason.RECORD_PAST_END, pos, "question " + (i + 1) + " of " + counts[0]);
            }
            questions.add(new DnsQuestion(nr.text(), m.u16(end), m.u16(end + 2)));
            pos = end + 4;
        }
        List<List<DnsRecord>> sections = new ArrayList<>(3);
        for (int s = 1; s <= 3; s++) {
            List<DnsRecord> records = new ArrayList<>(Math.min(counts[s], 16));
            for (int i = 0; i < counts[s]; i++) {
                int end = nr.read(pos);
                if (end < 0) {
                    return nr.error();
                }
                String owner = nr.text();
                // TYPE (2) + CLASS (2) + TTL (4) + RDLENGTH (2) = 10
                if (end + 10 > m.length()) {
                    return pastEnd(m, DnsReason.RECORD_PAST_END, pos, names[s] + " record " + (i + 1) + " header");
                }
                int type = m.u16(end);
                int rrClass = m.u16(end + 2);
                long ttl = m.u32(end + 4);
                int rdLength = m.u16(end + 8);
                int rd = end + 10;
                if (rd + rdLength > m.length()) {
                    return pastEnd(m, DnsReason.RECORD_PAST_END, end + 8, "RDLENGTH " + rdLength + " with "
                            + (m.length() - rd) + " octets left");
                }
                IpAddress address = null;
                String target = null;
                switch (type) {
                    case DnsRecord.TYPE_A -> {
                        // RFC 1035 3.4.1: a 32 bit Internet address
                        if (rdLength != 4) {
                            return DecodeResult.malformed(DnsReason.BAD_RDATA_LENGTH, end + 8, "A with RDLENGTH " + rdLength);
                        }
                        address = IpAddress.ofV4((int) m.u32(rd));
                    }
                    case DnsRecord.TYPE_AAAA -> {
                        // RFC 3596 2.2: a 128 bit IPv6 address
                        if (rdLength != 16) {
                            return DecodeResult.malformed(DnsReason.BAD_RDATA_LENGTH, end + 8, "AAAA with RDLENGTH " + rdLength);
                        }
                        address = IpAddress.of(Bytes.i64be(m.array(), m.arrayOffset() + rd),
                                Bytes.i64be(m.array(), m.arrayOffset() + rd + 8));
                    }
                    case DnsRecord.TYPE_CNAME -> {
                        int nameEnd = nr.read(rd);
                        if (nameEnd < 0) {
                            return nr.error();
                        }
                        if (nameEnd != rd + rdLength) {
                            return DecodeResult.malformed(DnsReason.RDATA_NAME_MISMATCH, rd, "CNAME name ends at "
                                    + nameEnd + ", RDATA at " + (rd + rdLength));
                        }
                        target = nr.text();
                    }
                    default -> { }
                }
                records.add(new DnsRecord(owner, type, rrClass, ttl, address, target, m.hex(rd, rdLength)));
                pos = rd + rdLength;
            }
            sections.add(records);
        }
        return DecodeResult.ok(new DnsMessage(id, (flags & QR) != 0, (flags & MASK_OPCODE) >>> 11,
                (flags & AA) != 0, (flags & TC) != 0, (flags & RD) != 0, (flags & RA) != 0, (flags & Z) != 0,
                (flags & AD) != 0, (flags & CD) != 0, flags & MASK_RCODE, questions, sections.get(0),
                sections.get(1), sections.get(2)));
    }

    /** Running out of bytes: Truncated when the capture cut the message, else Malformed. */
    private static <T> DecodeResult<T> pastEnd(ByteView m, DnsReason reason, int offset, String detail) {
        if (m.reported() > m.length()) {
            return DecodeResult.truncated(m.reported(), m.length());
        }
        return DecodeResult.malformed(reason, offset, detail);
    }

    /**
     * The text tshark 4.0 shows for a name's raw dotted bytes: UTF-8 with U+FFFD for invalid sequences,
     * control characters escaped; {@code <Root>} for the empty name.
     */
    static String text(byte[] raw, int len) {
        if (len == 0) {
            return "<Root>";
        }
        String s = new String(raw, 0, len, StandardCharsets.UTF_8);
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7f) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            switch (c) {
                case 0x07 -> sb.append("\\a");
                case 0x08 -> sb.append("\\b");
                case 0x09 -> sb.append("\\t");
                case 0x0a -> sb.append("\\n");
                case 0x0b -> sb.append("\\v");
                case 0x0c -> sb.append("\\f");
                case 0x0d -> sb.append("\\r");
                default -> sb.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** Reads one possibly compressed name; reused across the names of a message. */
    private static final class NameReader {
        private final ByteView m;
        private final Limits.Dns limits;
        private final byte[] raw;
        private final int[] visited;
        private int rawLength;
        private DecodeResult<DnsMessage> error;

        NameReader(ByteView m, Limits.Dns limits) {
            this.m = m;
            this.limits = limits;
            this.raw = new byte[Math.max(limits.maxNameOctets(), 1)];
            this.visited = new int[limits.maxPointerHops()];
        }

        /** The offset just after the name at {@code start}, or -1 with {@link #error()} set. */
        int read(int start) {
            rawLength = 0;
            int pos = start;
            int end = -1;
            int hops = 0;
            int wire = 1; // the root label's length octet
            while (true) {
                if (pos >= m.length()) {
                    return fail(DnsReason.NAME_PAST_END, pos, "name at " + start + " has no terminating label");
                }
                int b = m.u8(pos);
                switch (b & 0xc0) {
                    case 0x00 -> {
                        if (b == 0) {
                            return end < 0 ? pos + 1 : end;
                        }
                        if (pos + 1 + b > m.length()) {
                            return fail(DnsReason.NAME_PAST_END, pos, "label of " + b + " octets");
                        }
                        wire += 1 + b;
                        // RFC 1035 3.1: label octets and label length octets are restricted to 255 octets or less
                        if (wire > limits.maxNameOctets()) {
                            return fail(DnsReason.NAME_TOO_LONG, pos, "name at " + start + " exceeds limit ("
                                    + limits.maxNameOctets() + " octets)");
                        }
                        if (rawLength > 0) {
                            raw[rawLength++] = '.';
                        }
                        System.arraycopy(m.array(), m.arrayOffset() + pos + 1, raw, rawLength, b);
                        rawLength += b;
                        pos += 1 + b;
                    }
                    case 0xc0 -> {
                        // RFC 1035 4.1.4: | 1  1|                OFFSET                   |
                        if (pos + 2 > m.length()) {
                            return fail(DnsReason.NAME_PAST_END, pos, "pointer cut in half");
                        }
                        int target = m.u16(pos) & 0x3fff;
                        if (end < 0) {
                            end = pos + 2;
                        }
                        if (target >= m.length()) {
                            return fail(DnsReason.POINTER_OUT_OF_RANGE, pos, "pointer to " + target + " in a message of "
                                    + m.length() + " octets");
                        }
                        for (int i = 0; i < hops; i++) {
                            if (visited[i] == target) {
                                error = DecodeResult.malformed(DnsReason.POINTER_LOOP, pos, "pointer to " + target
                                        + " was already followed");
                                return -1;
                            }
                        }
                        if (hops == visited.length) {
                            error = DecodeResult.malformed(DnsReason.TOO_MANY_POINTER_HOPS, pos, "pointers ("
                                    + (hops + 1) + ") exceed limit (" + limits.maxPointerHops() + ")");
                            return -1;
                        }
                        visited[hops++] = target;
                        pos = target;
                    }
                    default -> {
                        error = DecodeResult.malformed(DnsReason.UNSUPPORTED_LABEL_TYPE, pos, String.format(
                                "label type %s", (b & 0xc0) == 0x40 ? "01 (extended)" : "10 (reserved)"));
                        return -1;
                    }
                }
            }
        }

        private int fail(DnsReason reason, int offset, String detail) {
            error = reason == DnsReason.NAME_TOO_LONG ? DecodeResult.malformed(reason, offset, detail)
                    : pastEnd(m, reason, offset, detail);
            return -1;
        }

        DecodeResult<DnsMessage> error() {
            return error;
        }

        String text() {
            return DnsDecoder.text(raw, rawLength);
        }
    }
}
