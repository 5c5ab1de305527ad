package org.iotpcap.dissect.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.engine.Engine;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.TsharkComparator;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every DNS message of every conformance capture, field by field against tshark ({@link TsharkComparator}): UDP 53
 * and 5353 (either port), and TCP 53 through {@link DnsTcpFramer}. tshark aggregates the values of all messages
 * of a frame, so both sides are compared as one comma-joined string per field and frame. Differences that
 * docs/tshark-differences-dns.md explains are listed in {@link #KNOWN}; any other fails the test.
 */
class DnsTsharkConformanceTest {

    static final TsharkQuery QUERY = TsharkQuery.of("dns", "dns or mdns", List.of("dns.id", "dns.flags.response",
            "dns.flags.rcode", "dns.qry.name", "dns.qry.type", "dns.a", "dns.aaaa", "dns.cname", "dns.resp.name",
            "dns.resp.ttl"));

    /** Captures known to hold DNS: the test fails if nothing was compared there. */
    static final Set<String> WITH_DNS = Set.of("polimi-2020-homework1.pcapng", "dns.pcapng");

    /** Capture name to frames: explained in docs/tshark-differences-dns.md. */
    static final Map<String, Set<Long>> KNOWN = Map.of();

    static Stream<TestCapture> captures() {
        return TestCaptures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void every_dns_message_matches_tshark(TestCapture tc) throws IOException {
        Map<Long, Map<String, String>> ours = new TreeMap<>();
        decodeAll(tc).forEach((frame, messages) -> ours.put(frame, join(messages)));
        TsharkComparator.Result r = TsharkComparator.check(tc, QUERY, ours,
                KNOWN.getOrDefault(tc.toString(), Set.of()), frame -> "");
        if (WITH_DNS.contains(tc.toString())) {
            assertThat(r.framesCompared()).as("DNS frames compared in " + tc).isGreaterThan(0);
        }
    }

    /** Our fields per frame, one map per message, keyed like tshark's. */
    static Map<Long, List<Map<String, String>>> decodeAll(TestCapture tc) throws IOException {
        Map<Long, List<Map<String, String>>> out = new TreeMap<>();
        Engine engine = Engine.builder()
                .onUdp(d -> {
                    if (isDnsPort(d.srcPort) || isDnsPort(d.dstPort)) {
                        ByteView v = ByteView.of(d.payload, d.payloadOffset, d.payloadLength)
                                .withReported(d.declaredPayloadLength);
                        add(out, d.frame, DnsDecoder.decode(v));
                    }
                })
                .onTcp(new TcpStreamListener() {
                    @Override
                    public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length,
                                       long frame, long nanos) {
                        if (c.server().port() != 53 && c.client().port() != 53) {
                            return;
                        }
                        framer(c, fromClient).feed(data, offset, length, frame, nanos);
                    }

                    @Override
                    public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                        if (c.server().port() == 53 || c.client().port() == 53) {
                            framer(c, fromClient).gap(bytes, frame);
                        }
                    }

                    private DnsTcpFramer framer(TcpConnection c, boolean fromClient) {
                        if (c.attachment == null) {
                            DnsTcpFramer.Sink sink = (m, first, last, ns) -> add(out, last, DnsDecoder.decode(m));
                            c.attachment = new DnsTcpFramer[] {new DnsTcpFramer(sink), new DnsTcpFramer(sink)};
                        }
                        return ((DnsTcpFramer[]) c.attachment)[fromClient ? 0 : 1];
                    }
                })
                .build();
        try (CaptureReader r = Captures.open(tc.path().toString())) {
            engine.run(r);
        }
        return out;
    }

    static boolean isDnsPort(int p) {
        return p == 53 || p == 5353;
    }

    static void add(Map<Long, List<Map<String, String>>> out, long frame, DecodeResult<DnsMessage> r) {
        if (r instanceof DecodeResult.Decoded<DnsMessage> d) {
            out.computeIfAbsent(frame, k -> new ArrayList<>()).add(fields(d.value()));
        } else {
            System.out.println("[dns-conformance] frame " + frame + ": " + r);
        }
    }

    /** One message's values, as tshark prints them. */
    static Map<String, String> fields(DnsMessage m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("dns.id", String.format("0x%04x", m.id()));
        f.put("dns.flags.response", m.response() ? "1" : "0");
        f.put("dns.flags.rcode", m.response() ? Integer.toString(m.rcode()) : "");
        f.put("dns.qry.name", String.join(",", m.questions().stream().map(DnsQuestion::name).toList()));
        f.put("dns.qry.type", String.join(",", m.questions().stream().map(q -> Integer.toString(q.type())).toList()));
        List<DnsRecord> all = m.allRecords();
        f.put("dns.a", values(all, DnsRecord.TYPE_A));
        f.put("dns.aaaa", values(all, DnsRecord.TYPE_AAAA));
        f.put("dns.cname", values(all, DnsRecord.TYPE_CNAME));
        f.put("dns.resp.name", String.join(",", all.stream().map(DnsRecord::name).toList()));
        f.put("dns.resp.ttl", String.join(",", all.stream().filter(r -> r.type() != DnsRecord.TYPE_OPT)
                .map(r -> Long.toString(r.ttl())).toList()));
        return f;
    }

    private static String values(List<DnsRecord> all, int type) {
        return String.join(",", all.stream().filter(r -> r.type() == type).map(DnsRecord::value).toList());
    }

    /** Several messages in one frame: each field's values joined by ',', skipping empty ones, as tshark does. */
    static Map<String, String> join(List<Map<String, String>> messages) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String f : QUERY.compared()) {
            List<String> parts = new ArrayList<>();
            for (Map<String, String> m : messages) {
                if (!m.get(f).isEmpty()) {
                    parts.add(m.get(f));
                }
            }
            out.put(f, String.join(",", parts));
        }
        return out;
    }
}
