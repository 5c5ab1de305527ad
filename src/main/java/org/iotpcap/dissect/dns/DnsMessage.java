package org.iotpcap.dissect.dns;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoded DNS message (RFC 1035 section 4.1).
 *
 * <pre>
 *                                 1  1  1  1  1  1
 *   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
 * |          QDCOUNT / ANCOUNT / NSCOUNT / ARCOUNT |
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * </pre>
 * AD and CD are from RFC 4035 section 3.2.
 */
public record DnsMessage(int id, boolean response, int opcode, boolean authoritative, boolean truncated,
                         boolean recursionDesired, boolean recursionAvailable, boolean z, boolean authenticData,
                         boolean checkingDisabled, int rcode, List<DnsQuestion> questions, List<DnsRecord> answerRecords,
                         List<DnsRecord> authorityRecords, List<DnsRecord> additionalRecords) {

    public DnsMessage {
        questions = List.copyOf(questions);
        answerRecords = List.copyOf(answerRecords);
        authorityRecords = List.copyOf(authorityRecords);
        additionalRecords = List.copyOf(additionalRecords);
    }

    /** The A, AAAA and CNAME records of the answer section, in wire order. */
    public List<DnsAnswer> answers() {
        List<DnsAnswer> out = new ArrayList<>();
        for (DnsRecord r : answerRecords) {
            if (r.type() == DnsRecord.TYPE_A || r.type() == DnsRecord.TYPE_AAAA || r.type() == DnsRecord.TYPE_CNAME) {
                String v = r.value();
                if (v != null) {
                    out.add(new DnsAnswer(r.name(), r.type(), v, r.ttl()));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Every resource record: answers, then authority, then additional, as tshark lists {@code dns.resp.*}. */
    public List<DnsRecord> allRecords() {
        List<DnsRecord> out = new ArrayList<>(answerRecords);
        out.addAll(authorityRecords);
        out.addAll(additionalRecords);
        return List.copyOf(out);
    }
}
