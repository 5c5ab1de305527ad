package org.iotpcap.dissect.dns;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.junit.jupiter.api.Test;

class DnsDecoderTest {

    /**
     * A response built on the compression example of RFC 1035 section 4.1.4 (F.ISI.ARPA, FOO.F.ISI.ARPA and
     * ARPA sharing labels through pointers), offsets in the comments.
     */
    static final byte[] RFC1035_RESPONSE = {
        0x12, 0x34,                 // 0  ID 0x1234
        (byte) 0x81, (byte) 0x80,   // 2  QR=1 Opcode=0 AA=0 TC=0 RD=1 RA=1 Z=0 AD=0 CD=0 RCODE=0
        0x00, 0x01,                 // 4  QDCOUNT 1
        0x00, 0x03,                 // 6  ANCOUNT 3
        0x00, 0x00,                 // 8  NSCOUNT 0
        0x00, 0x00,                 // 10 ARCOUNT 0
        1, 'F', 3, 'I', 'S', 'I', 4, 'A', 'R', 'P', 'A', 0, // 12 QNAME F.ISI.ARPA (ARPA at 18)
        0x00, 0x01, 0x00, 0x01,     // 24 QTYPE A, QCLASS IN
        3, 'F', 'O', 'O', (byte) 0xc0, 12, // 28 NAME FOO + pointer to 12 = FOO.F.ISI.ARPA
        0x00, 0x05, 0x00, 0x01,     // 34 TYPE CNAME, CLASS IN
        0x00, 0x00, 0x0e, 0x10,     // 38 TTL 3600
        0x00, 0x02,                 // 42 RDLENGTH 2
        (byte) 0xc0, 12,            // 44 RDATA pointer to 12 = F.ISI.ARPA
        (byte) 0xc0, 12,            // 46 NAME pointer to 12
        0x00, 0x01, 0x00, 0x01,     // 48 TYPE A, CLASS IN
        0x00, 0x00, 0x00, 0x3c,     // 52 TTL 60
        0x00, 0x04,                 // 56 RDLENGTH 4
        10, 0, 0, 1,                // 58 10.0.0.1
        (byte) 0xc0, 18,            // 62 NAME pointer to 18 = ARPA
        0x00, 0x1c, 0x00, 0x01,     // 64 TYPE AAAA, CLASS IN
        (byte) 0x80, 0x00, 0x00, 0x00, // 68 TTL 2^31 (unsigned on the wire)
        0x00, 0x10,                 // 72 RDLENGTH 16
        0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, // 74 2001:db8::1
    };

    static DecodeResult<DnsMessage> decode(byte[] b) {
        return DnsDecoder.decode(ByteView.of(b));
    }

    @Test
    void decode_rfc1035_compression_example() {
        DnsMessage m = decode(RFC1035_RESPONSE).value();
        assertThat(m.id()).isEqualTo(0x1234);
        assertThat(m.response()).isTrue();
        assertThat(m.opcode()).isZero();
        assertThat(m.recursionDesired()).isTrue();
        assertThat(m.recursionAvailable()).isTrue();
        assertThat(m.authoritative()).isFalse();
        assertThat(m.rcode()).isZero();
        assertThat(m.questions()).containsExactly(new DnsQuestion("F.ISI.ARPA", 1, 1));
        assertThat(m.answerRecords()).hasSize(3);
        DnsRecord cname = m.answerRecords().get(0);
        assertThat(cname.name()).isEqualTo("FOO.F.ISI.ARPA");
        assertThat(cname.target()).isEqualTo("F.ISI.ARPA");
        assertThat(cname.rdataHex()).isEqualTo("c00c");
        assertThat(m.answerRecords().get(2).ttl()).isEqualTo(2_147_483_648L);
        assertThat(m.answers()).containsExactly(
                new DnsAnswer("FOO.F.ISI.ARPA", 5, "F.ISI.ARPA", 3600),
                new DnsAnswer("F.ISI.ARPA", 1, "10.0.0.1", 60),
                new DnsAnswer("ARPA", 28, "2001:db8::1", 2_147_483_648L));
    }

    @Test
    void decode_flags_each_bit() {
        byte[] b = header(0xffff, 0, 0, 0, 0);
        // QR=1 Opcode=1111 AA TC RD RA Z AD CD all 1, RCODE=1111
        DnsMessage m = decode(b).value();
        assertThat(m.opcode()).isEqualTo(15);
        assertThat(m.rcode()).isEqualTo(15);
        assertThat(m.authoritative() && m.truncated() && m.recursionDesired() && m.recursionAvailable() && m.z()
                && m.authenticData() && m.checkingDisabled() && m.response()).isTrue();
    }

    @Test
    void decode_other_type_kept_raw() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header(0x8180, 0, 1, 0, 0));
        o.writeBytes(new byte[] {0, 0x00, 0x10, 0x00, 0x01, 0, 0, 0, 5, 0x00, 0x03, 2, 'h', 'i'}); // <Root> TXT "hi"
        DnsRecord r = decode(o.toByteArray()).value().answerRecords().get(0);
        assertThat(r.name()).isEqualTo("<Root>");
        assertThat(r.type()).isEqualTo(16);
        assertThat(r.address()).isNull();
        assertThat(r.target()).isNull();
        assertThat(r.rdataHex()).isEqualTo("026869");
    }

    @Test
    void decode_forward_pointer_allowed() {
        byte[] b = concat(header(0x0100, 1, 0, 0, 0),
                new byte[] {(byte) 0xc0, 18,     // 12 QNAME: pointer forward to 18
                    0x00, 0x01, 0x00, 0x01,      // 14 QTYPE A, QCLASS IN
                    3, 'c', 'o', 'm', 0});       // 18 trailing bytes holding "com"
        assertThat(decode(b).value().questions().get(0).name()).isEqualTo("com");
    }

    @Test
    void decode_name_of_255_octets_is_accepted() {
        // 63+63+63+61 label octets + 4 length octets + root octet = 255 (RFC 1035 3.1)
        byte[] b = question(label(63, 'a'), label(63, 'b'), label(63, 'c'), label(61, 'd'));
        assertThat(decode(b).value().questions().get(0).name()).hasSize(253);
    }

    @Test
    void decode_name_too_long_malformed() {
        // 4 labels of 63 = 257 octets
        assertMalformed(question(label(63, 'a'), label(63, 'b'), label(63, 'c'), label(63, 'd')), DnsReason.NAME_TOO_LONG);
    }

    @Test
    void decode_pointer_loop_malformed() {
        byte[] b = concat(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1}); // points at itself
        assertMalformed(b, DnsReason.POINTER_LOOP);
    }

    @Test
    void decode_pointer_out_of_range_malformed() {
        byte[] b = concat(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0xc0, (byte) 0xff, 0, 1, 0, 1});
        assertMalformed(b, DnsReason.POINTER_OUT_OF_RANGE);
    }

    @Test
    void decode_pointer_hop_limit_malformed_and_configurable() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header(0x0100, 1, 0, 0, 0));
        o.writeBytes(new byte[] {(byte) 0xc0, 18, 0, 1, 0, 1}); // 12 QNAME -> 18, QTYPE, QCLASS
        for (int i = 0; i < 40; i++) {                          // 18.. a chain of 40 pointers, each to the next
            int next = 20 + 2 * i;
            o.write(0xc0 | next >> 8);
            o.write(next & 0xff);
        }
        o.write(0);                                             // the root label ends the chain
        byte[] b = o.toByteArray();
        assertMalformed(b, DnsReason.TOO_MANY_POINTER_HOPS);    // 41 pointers > 32
        assertThat(DnsDecoder.decode(ByteView.of(b), new Limits.Dns(1024, 64, 255)).value().questions().get(0).name())
                .isEqualTo("<Root>");
    }

    @Test
    void decode_extended_label_type_malformed() {
        assertMalformed(concat(header(0x0100, 1, 0, 0, 0), new byte[] {0x41, 0, 0, 0, 1, 0, 1}),
                DnsReason.UNSUPPORTED_LABEL_TYPE);
        assertMalformed(concat(header(0x0100, 1, 0, 0, 0), new byte[] {(byte) 0x81, 0, 0, 0, 1, 0, 1}),
                DnsReason.UNSUPPORTED_LABEL_TYPE);
    }

    @Test
    void decode_header_too_short_malformed() {
        assertMalformed(new byte[11], DnsReason.HEADER_TOO_SHORT);
    }

    @Test
    void decode_question_without_type_malformed() {
        assertMalformed(concat(header(0x0100, 1, 0, 0, 0), new byte[] {0, 0, 1}), DnsReason.RECORD_PAST_END);
    }

    @Test
    void decode_missing_record_malformed() {
        assertMalformed(header(0x8180, 0, 1, 0, 0), DnsReason.NAME_PAST_END);
    }

    @Test
    void decode_rdata_past_end_malformed() {
        byte[] b = concat(header(0x8180, 0, 1, 0, 0), new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0});
        assertMalformed(b, DnsReason.RECORD_PAST_END);
    }

    @Test
    void decode_a_with_five_octets_malformed() {
        byte[] b = concat(header(0x8180, 0, 1, 0, 0), new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 5, 10, 0, 0, 1, 9});
        assertMalformed(b, DnsReason.BAD_RDATA_LENGTH);
    }

    @Test
    void decode_aaaa_with_four_octets_malformed() {
        byte[] b = concat(header(0x8180, 0, 1, 0, 0), new byte[] {0, 0, 28, 0, 1, 0, 0, 0, 1, 0, 4, 10, 0, 0, 1});
        assertMalformed(b, DnsReason.BAD_RDATA_LENGTH);
    }

    @Test
    void decode_cname_longer_than_rdata_malformed() {
        // RDLENGTH 3 but the name "a" + root takes 3 and then one more octet is left over: RDLENGTH 4
        byte[] b = concat(header(0x8180, 0, 1, 0, 0), new byte[] {0, 0, 5, 0, 1, 0, 0, 0, 1, 0, 4, 1, 'a', 0, 0});
        assertMalformed(b, DnsReason.RDATA_NAME_MISMATCH);
    }

    @Test
    void decode_too_many_records_malformed() {
        assertMalformed(header(0x0100, 2000, 0, 0, 0), DnsReason.TOO_MANY_RECORDS);
        assertThat(DnsDecoder.decode(ByteView.of(RFC1035_RESPONSE), new Limits.Dns(2, 32, 255)))
                .isInstanceOfSatisfying(DecodeResult.Malformed.class, m -> assertThat(m.reason()).isEqualTo(DnsReason.TOO_MANY_RECORDS));
    }

    @Test
    void decode_cut_by_snaplen_is_truncated() {
        ByteView cut = ByteView.of(RFC1035_RESPONSE, 0, 60).withReported(RFC1035_RESPONSE.length);
        assertThat(DnsDecoder.decode(cut)).isEqualTo(DecodeResult.truncated(RFC1035_RESPONSE.length, 60));
    }

    /** Expected texts are tshark 4.0.17's dns.qry.name for the same labels (see docs/tshark-differences-dns.md). */
    @Test
    void decode_name_text_as_tshark_prints_it() {
        assertThat(qname(bytes("a.b"), bytes("com"))).isEqualTo("a.b.com");
        assertThat(qname(bytes("sp ace"), bytes("x"))).isEqualTo("sp ace.x");
        assertThat(qname(new byte[] {'n', 0, 'u', 'l'})).isEqualTo("n\\000ul");
        assertThat(qname(new byte[] {'d', 'e', 'l', 0x7f})).isEqualTo("del\\177");
        assertThat(qname(new byte[] {'h', 'i', (byte) 0xff})).isEqualTo("hi\uFFFD");
        assertThat(qname(bytes("back\\sl"))).isEqualTo("back\\sl");
        assertThat(qname("café".getBytes(StandardCharsets.UTF_8))).isEqualTo("café");
        assertThat(qname()).isEqualTo("<Root>");
        assertThat(qname(bytes("tab\tnl\n"))).isEqualTo("tab\\tnl\\n");
        assertThat(qname(new byte[] {1, 0x1f})).isEqualTo("\\001\\037");
        assertThat(qname(new byte[] {'x', (byte) 0xe2, (byte) 0x82})).isEqualTo("x\uFFFD");
    }

    // ---- helpers

    static void assertMalformed(byte[] b, DnsReason reason) {
        assertThat(decode(b)).isInstanceOfSatisfying(DecodeResult.Malformed.class,
                m -> assertThat(m.reason()).isEqualTo(reason));
    }

    static String qname(byte[]... labels) {
        return decode(question(labels)).value().questions().get(0).name();
    }

    static byte[] header(int flags, int qd, int an, int ns, int ar) {
        return new byte[] {0x00, 0x2a, (byte) (flags >> 8), (byte) flags, (byte) (qd >> 8), (byte) qd,
            (byte) (an >> 8), (byte) an, (byte) (ns >> 8), (byte) ns, (byte) (ar >> 8), (byte) ar};
    }

    /** A query with one question of these labels, QTYPE A, QCLASS IN. */
    static byte[] question(byte[]... labels) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(header(0x0100, 1, 0, 0, 0));
        for (byte[] l : labels) {
            o.write(l.length);
            o.writeBytes(l);
        }
        o.writeBytes(new byte[] {0, 0, 1, 0, 1});
        return o.toByteArray();
    }

    static byte[] label(int n, char c) {
        return String.valueOf(c).repeat(n).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
