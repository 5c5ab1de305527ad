package org.iotpcap.dissect.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CoAP message on UDP port 5683 (either side) of every conformance capture, field by field against
 * tshark ({@link TsharkComparator}). Differences that docs/tshark-differences-coap.md explains are listed in
 * {@link #KNOWN}; any other fails the test.
 */
class CoapTsharkConformanceTest {

    /**
     * A CoAP datagram quoted inside an ICMP error (e.g. polimi frame 3057, coap.pcapng's port unreachable) is
     * decoded by tshark, not by iotpcap: it is not a message that was delivered (docs/tshark-differences-coap.md).
     */
    static final TsharkQuery QUERY = TsharkQuery.of("coap", "coap && !icmp && !icmpv6", List.of("coap.version",
            "coap.type", "coap.code", "coap.mid", "coap.token", "coap.opt.uri_path", "coap.opt.uri_query",
            "coap.opt.uri_host", "coap.opt.ctype", "coap.opt.accept", "coap.opt.block_number",
            "coap.opt.block_mflag", "coap.opt.block_size", "coap.opt.observe", "coap.payload_length"));

    /** Captures known to hold CoAP on 5683: the test fails if nothing was compared there. */
    static final Set<String> WITH_COAP = Set.of("polimi-2020-homework1.pcapng", "ndpi-coap_mqtt.pcap",
            "schc_r_c-coap-observe.pcapng", "coap.pcapng", "coap.pcapng.gz");

    /** Capture name to frames: explained in docs/tshark-differences-coap.md. */
    static final Map<String, Set<Long>> KNOWN = Map.of();

    static Stream<TestCapture> captures() {
        return TestCaptures.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void every_coap_message_matches_tshark(TestCapture tc) throws IOException {
        TsharkComparator.Result r = TsharkComparator.check(tc, QUERY, decodeAll(tc),
                KNOWN.getOrDefault(tc.toString(), Set.of()), frame -> "");
        if (WITH_COAP.contains(tc.toString())) {
            assertThat(r.framesCompared()).as("CoAP messages compared in " + tc).isGreaterThan(0);
        }
    }

    static Map<Long, Map<String, String>> decodeAll(TestCapture tc) throws IOException {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        Engine engine = Engine.builder()
                .onUdp(d -> {
                    if (d.srcPort == 5683 || d.dstPort == 5683) {
                        ByteView v = ByteView.of(d.payload, d.payloadOffset, d.payloadLength)
                                .withReported(d.declaredPayloadLength);
                        DecodeResult<CoapMessage> r = CoapDecoder.decode(v);
                        if (r instanceof DecodeResult.Decoded<CoapMessage> m) {
                            out.put(d.frame, fields(m.value()));
                        } else {
                            System.out.println("[coap-conformance] frame " + d.frame + ": " + r);
                        }
                    }
                })
                .build();
        try (CaptureReader r = Captures.open(tc.path().toString())) {
            engine.run(r);
        }
        return out;
    }

    /** One message's values, as tshark 4.0 prints them. */
    static Map<String, String> fields(CoapMessage m) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("coap.version", Integer.toString(m.version()));
        f.put("coap.type", Integer.toString(m.type().wire()));
        f.put("coap.code", Integer.toString(m.code()));
        f.put("coap.mid", Integer.toString(m.messageId()));
        f.put("coap.token", m.token());
        f.put("coap.opt.uri_path", strings(m, CoapOptions.URI_PATH));
        f.put("coap.opt.uri_query", strings(m, CoapOptions.URI_QUERY));
        f.put("coap.opt.uri_host", strings(m, CoapOptions.URI_HOST));
        f.put("coap.opt.ctype", join(m.options(CoapOptions.CONTENT_FORMAT).stream()
                .map(o -> CoapContentFormats.name(o.uint().intValue())).toList()));
        f.put("coap.opt.accept", join(m.options(CoapOptions.ACCEPT).stream()
                .map(o -> CoapContentFormats.name(o.uint().intValue())).toList()));
        List<CoapBlock> blocks = m.options().stream()
                .filter(o -> o.number() == CoapOptions.BLOCK1 || o.number() == CoapOptions.BLOCK2)
                .map(o -> CoapBlock.of(o.uint())).toList();
        f.put("coap.opt.block_number", join(blocks.stream().map(b -> Integer.toString(b.num())).toList()));
        f.put("coap.opt.block_mflag", join(blocks.stream().map(b -> b.more() ? "1" : "0").toList()));
        // tshark 4.0 dissects Size2 (28) with the Encoded Block Size field: its low 3 bits join block_size
        // (docs/tshark-differences-coap.md, polimi frame 6952)
        f.put("coap.opt.block_size", join(m.options().stream()
                .filter(o -> o.number() == CoapOptions.BLOCK1 || o.number() == CoapOptions.BLOCK2
                        || o.number() == CoapOptions.SIZE2)
                .map(o -> Long.toString(o.uint() & 7)).toList()));
        f.put("coap.opt.observe", join(m.options(CoapOptions.OBSERVE).stream().map(o -> o.uint().toString()).toList()));
        f.put("coap.payload_length", payloadLengthAsTshark(m));
        return f;
    }

    /**
     * tshark reassembles block-wise transfers (RFC 7959) and shows coap.payload_length only on the last block
     * (M = 0), as the whole body: NUM * block size + this block's payload (docs/tshark-differences-coap.md).
     */
    private static String payloadLengthAsTshark(CoapMessage m) {
        if (m.payloadLength() == 0) {
            return "";
        }
        CoapBlock b = m.isRequest() ? m.block1() : m.block2();
        if (b == null) {
            return Integer.toString(m.payloadLength());
        }
        return b.more() ? "" : Long.toString((long) b.num() * b.size() + m.payloadLength());
    }

    private static String strings(CoapMessage m, int number) {
        return join(m.options(number).stream().map(o -> tsharkText(o.text())).toList());
    }

    private static String join(List<String> values) {
        return String.join(",", values);
    }

    /** tshark 4.0's display of a string field: control characters escaped C-style or in octal. */
    static String tsharkText(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case 0x07 -> sb.append("\\a");
                case 0x08 -> sb.append("\\b");
                case 0x09 -> sb.append("\\t");
                case 0x0a -> sb.append("\\n");
                case 0x0b -> sb.append("\\v");
                case 0x0c -> sb.append("\\f");
                case 0x0d -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\%03o", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
