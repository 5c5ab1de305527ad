package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.Packets.bytes;

import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.coap.CoapDecoder;
import org.iotpcap.dissect.dns.DnsDecoder;
import org.iotpcap.ip.IpAddress;
import org.iotpcap.transport.Endpoint;
import org.junit.jupiter.api.Test;

/**
 * CoAP exchanges (RFC 7252 sections 4.2, 4.4, 5.2; SEED-QUESTIONS.md "CoAP request identity") and DNS names
 * (CNAME chains, RFC 1034 section 3.6.2) built by {@link SemanticModel} from messages decoded from bytes
 * written here, recorded through a {@link RecordingSink}.
 */
class CoapDnsModelTest {
    private static final Endpoint CLIENT = ep("10.0.0.1", 50000);
    private static final Endpoint SERVER = ep("10.0.0.2", 5683);

    private final RecordingSink sink = new RecordingSink();
    private final SemanticModel model = new SemanticModel(sink.tables, false);
    private long frame;

    private static Endpoint ep(String a, int port) {
        return new Endpoint(IpAddress.parse(a), port);
    }

    private MessageContext ctx(Endpoint src, Endpoint dst) {
        frame++;
        long ns = frame * 1_000_000L;
        return new MessageContext(frame, frame, ns, ns, "udp", 0, src, dst);
    }

    private void coap(Endpoint src, Endpoint dst, byte[] datagram) {
        model.coap(ctx(src, dst), CoapDecoder.decode(ByteView.of(datagram)).value());
    }

    // CoAP header (RFC 7252 3): Ver=1 | T | TKL, Code, Message ID; then token, options, 0xFF payload.
    //   0x40 | T<<4 | TKL with T: 0 CON, 1 NON, 2 ACK, 3 RST. Uri-Path option 11: 0xB0 | length (first option).

    private static byte[] conPut(int mid, int token) {
        return bytes(0x41, 0x03 /* PUT */, mid >> 8, mid & 0xFF, token, 0xB4, "temp", 0xFF, "21");
    }

    private static byte[] get(int type, int mid, int token) {
        return bytes(0x41 | type << 4, 0x01 /* GET */, mid >> 8, mid & 0xFF, token, 0xB4, "time");
    }

    private static byte[] response(int type, int code, int mid, int token) {
        return bytes(0x41 | type << 4, code, mid >> 8, mid & 0xFF, token);
    }

    private Map<String, Object> exchange(int mid, String token) {
        List<Map<String, Object>> found = sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges")).stream()
                .filter(r -> r.get("mid").equals(mid) && r.get("token").equals(token)).toList();
        assertThat(found).as("exchange mid %s token %s", mid, token).hasSize(1);
        return found.get(0);
    }

    @Test
    void retransmitted_con_counts_once_with_two_requests_and_a_piggybacked_response() {
        coap(CLIENT, SERVER, conPut(0x1001, 0xA1));
        coap(CLIENT, SERVER, conPut(0x1001, 0xA1)); // retransmission: same MID, same token (RFC 7252 4.2)
        coap(SERVER, CLIENT, response(2, 0x84 /* 4.04 */, 0x1001, 0xA1));
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_messages"))).hasSize(3);
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges"))).hasSize(1);
        Map<String, Object> e = exchange(0x1001, "a1");
        assertThat(e).containsEntry("type", "CON").containsEntry("method", "PUT").containsEntry("path", "/temp")
                .containsEntry("requests", 2).containsEntry("retransmissions", 1).containsEntry("first_frame", 1L)
                .containsEntry("last_frame", 2L).containsEntry("answered", true)
                .containsEntry("response_kind", "piggybacked").containsEntry("response_frame", 3L)
                .containsEntry("response_code", "4.04").containsEntry("response_class", 4)
                .containsEntry("acked", true).containsEntry("client", "10.0.0.1").containsEntry("client_port", 50000)
                .containsEntry("server", "10.0.0.2").containsEntry("server_port", 5683);
    }

    @Test
    void empty_ack_then_separate_response_with_the_token() {
        coap(CLIENT, SERVER, get(0, 0x1002, 0xB2));
        coap(SERVER, CLIENT, bytes(0x60, 0x00, 0x10, 0x02)); // empty ACK, MID 0x1002 (RFC 7252 5.2.2)
        coap(SERVER, CLIENT, response(0, 0x45 /* 2.05 */, 0x7001, 0xB2)); // separate CON response, new MID
        coap(CLIENT, SERVER, bytes(0x60, 0x00, 0x70, 0x01)); // the client's empty ACK of it
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges"))).hasSize(1);
        assertThat(exchange(0x1002, "b2")).containsEntry("answered", true).containsEntry("response_kind", "separate")
                .containsEntry("response_frame", 3L).containsEntry("response_mid", 0x7001)
                .containsEntry("response_type", "CON").containsEntry("response_code", "2.05")
                .containsEntry("acked", true).containsEntry("ack_frame", 2L).containsEntry("requests", 1);
    }

    @Test
    void response_with_another_token_is_not_matched_and_unanswered_requests_say_so() {
        coap(CLIENT, SERVER, get(0, 0x1003, 0xC3));
        coap(SERVER, CLIENT, response(1, 0x45, 0x7002, 0xD4)); // NON 2.05, token d4: not this request's
        coap(SERVER, CLIENT, response(2, 0x45, 0x1003, 0xD4)); // ACK with the MID but another token
        coap(CLIENT, SERVER, get(1, 0x1004, 0xE5)); // NON GET, never answered
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges"))).hasSize(2);
        assertThat(exchange(0x1003, "c3")).containsEntry("answered", false).containsEntry("response_frame", null)
                .containsEntry("response_code", null);
        assertThat(exchange(0x1004, "e5")).containsEntry("answered", false).containsEntry("type", "NON")
                .containsEntry("requests", 1);
    }

    @Test
    void message_id_reuse_with_a_new_token_is_a_new_exchange() {
        coap(CLIENT, SERVER, get(0, 0x1005, 0xF6));
        coap(SERVER, CLIENT, response(2, 0x45, 0x1005, 0xF6));
        coap(CLIENT, SERVER, get(0, 0x1005, 0xF7)); // same MID, new token: a new request
        coap(SERVER, CLIENT, response(2, 0x84, 0x1005, 0xF7));
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges"))).hasSize(2);
        assertThat(exchange(0x1005, "f6")).containsEntry("requests", 1).containsEntry("response_code", "2.05")
                .containsEntry("response_frame", 2L);
        assertThat(exchange(0x1005, "f7")).containsEntry("requests", 1).containsEntry("response_code", "4.04")
                .containsEntry("response_frame", 4L);
    }

    @Test
    void same_mid_from_another_client_endpoint_is_another_request() {
        Endpoint other = ep("10.0.0.1", 50001);
        coap(CLIENT, SERVER, conPut(0x2000, 0x11));
        coap(other, SERVER, conPut(0x2000, 0x11));
        coap(SERVER, other, response(2, 0xA0 /* 5.00 */, 0x2000, 0x11));
        model.finish();
        List<Map<String, Object>> ex = sink.rows(org.iotpcap.semantic.tables.Tables.byName("coap_exchanges"));
        assertThat(ex).hasSize(2);
        assertThat(ex).filteredOn(r -> r.get("client_port").equals(50000)).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("answered", false).containsEntry("requests", 1));
        assertThat(ex).filteredOn(r -> r.get("client_port").equals(50001)).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("response_code", "5.00").containsEntry("response_class", 5));
    }

    // DNS (RFC 1035 4.1): header, question, answers; names written uncompressed.

    private static byte[] name(String dotted) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] cname(String owner, String target) {
        byte[] t = name(target);
        return bytes(name(owner), 0x00, 0x05 /* CNAME */, 0x00, 0x01, 0, 0, 0x0E, 0x10 /* TTL 3600 */,
                t.length >> 8, t.length & 0xFF, t);
    }

    private static byte[] a(String owner, int a, int b, int c, int d) {
        return bytes(name(owner), 0x00, 0x01 /* A */, 0x00, 0x01, 0, 0, 0x00, 0x3C /* TTL 60 */, 0x00, 0x04, a, b, c, d);
    }

    private void dnsResponse(String qname, byte[]... answers) {
        byte[] msg = bytes(0x12, 0x34, 0x81, 0x80 /* response, RD, RA, NOERROR */, 0, 1, 0, answers.length, 0, 0, 0, 0,
                name(qname), 0x00, 0x01, 0x00, 0x01);
        for (byte[] an : answers) {
            msg = bytes(msg, an);
        }
        model.dns(ctx(ep("10.0.0.53", 53), ep("10.0.0.1", 40000)), DnsDecoder.decode(ByteView.of(msg)).value());
    }

    private List<List<Object>> names() {
        return sink.rows(org.iotpcap.semantic.tables.Tables.byName("names")).stream()
                .map(r -> java.util.Arrays.asList(r.get("name"), r.get("address"), r.get("first_frame"), r.get("chain")))
                .toList();
    }

    @Test
    void cname_chains_are_followed_across_responses_and_case() {
        dnsResponse("broker.example", cname("broker.example", "mqtt.example"), cname("mqtt.example", "LB.Example"));
        dnsResponse("lb.example", a("lb.example", 192, 0, 2, 1), a("lb.example", 192, 0, 2, 2));
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("dns_answers"))).hasSize(4);
        assertThat(names()).containsExactlyInAnyOrder(
                List.of("broker.example", "192.0.2.1", 2L, "broker.example -> mqtt.example -> lb.example"),
                List.of("broker.example", "192.0.2.2", 2L, "broker.example -> mqtt.example -> lb.example"),
                List.of("mqtt.example", "192.0.2.1", 2L, "mqtt.example -> lb.example"),
                List.of("mqtt.example", "192.0.2.2", 2L, "mqtt.example -> lb.example"),
                java.util.Arrays.asList("lb.example", "192.0.2.1", 2L, null),
                java.util.Arrays.asList("lb.example", "192.0.2.2", 2L, null));
    }

    @Test
    void cname_loops_are_cut() {
        dnsResponse("loop1.example", cname("loop1.example", "loop2.example"), cname("loop2.example", "loop1.example"),
                a("loop2.example", 192, 0, 2, 9));
        dnsResponse("self.example", cname("self.example", "self.example"));
        model.finish();
        assertThat(names()).containsExactlyInAnyOrder(
                List.of("loop1.example", "192.0.2.9", 1L, "loop1.example -> loop2.example"),
                java.util.Arrays.asList("loop2.example", "192.0.2.9", 1L, null));
    }

    @Test
    void queries_and_non_answer_sections_do_not_resolve_names() {
        byte[] query = bytes(0x00, 0x07, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, name("q.example"), 0x00, 0x01, 0x00, 0x01);
        model.dns(ctx(ep("10.0.0.1", 40000), ep("10.0.0.53", 53)), DnsDecoder.decode(ByteView.of(query)).value());
        // a response whose only A record is in the additional section
        byte[] add = bytes(0x00, 0x08, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 1, name("q.example"), 0x00, 0x01, 0x00, 0x01,
                a("q.example", 192, 0, 2, 3));
        model.dns(ctx(ep("10.0.0.53", 53), ep("10.0.0.1", 40000)), DnsDecoder.decode(ByteView.of(add)).value());
        model.finish();
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("dns_messages"))).hasSize(2);
        assertThat(sink.rows(org.iotpcap.semantic.tables.Tables.byName("dns_answers"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("section", "additional").containsEntry("address", "192.0.2.3"));
        assertThat(names()).isEmpty();
    }
}
