package org.iotpcap.dissect.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqttsn.MqttSnMessage.*;
import org.iotpcap.engine.Engine;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.TsharkComparator;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.testing.TsharkRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares our decoding of UDP port 1885 with tshark's MQTT-SN dissector, message by message and field by
 * field. Our values are rendered the way tshark prints them ({@code -T fields}: hex for BASE_HEX fields, 1/0
 * for booleans, strings read as ASCII up to the first NUL with U+FFFD for octets above 0x7F), and only the fields
 * tshark's dissector has for a message type are compared. tshark decodes only the first message of a datagram
 * (plus the message inside a Forwarder Encapsulation); the others are counted, not compared.
 * The comparison itself is {@link TsharkComparator}'s. Known tshark quirks are in docs/tshark-differences-mqttsn.md;
 * anything else fails.
 */
class MqttSnTsharkConformanceTest {

    /** {@code _ws.malformed} is compared too: ours is always empty, so a frame tshark flags is a difference. */
    static final TsharkQuery QUERY = TsharkQuery.of("mqttsn", "mqttsn", List.of(
        "mqttsn.msg.type", "mqttsn.msg.len", "mqttsn.dup", "mqttsn.qos", "mqttsn.retain",
        "mqttsn.will", "mqttsn.clean.session", "mqttsn.topic.id.type", "mqttsn.return.code", "mqttsn.gw.id",
        "mqttsn.gw.addr", "mqttsn.adv.interv", "mqttsn.radius", "mqttsn.protocol.id", "mqttsn.topic.id",
        "mqttsn.msg.id", "mqttsn.topic", "mqttsn.topic.name.or.id", "mqttsn.sleep.timer", "mqttsn.will.topic",
        "mqttsn.will.msg", "mqttsn.pub.msg", "mqttsn.client.id", "mqttsn.keep.alive", "mqttsn.control.info",
        "mqttsn.wireless.node.id", "_ws.malformed"));

    /** Captures known to hold MQTT-SN on 1885: the test fails if nothing was compared there. */
    static final Set<String> WITH_MQTTSN = Set.of("mqttsn.pcapng", "mqttsn-nsec.pcap");

    /** What one comparison found. */
    record Report(int framesCompared, int messagesCompared, int fieldsCompared, int extraMessagesNotInTshark,
            int malformedByUs, List<String> differences, List<String> quirks) {}

    static List<TestCapture> captures() {
        return TestCaptures.all();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void capture_matches_tshark(TestCapture tc) throws IOException {
        Report r = compare(tc);
        System.out.println("mqttsn vs tshark " + tc + ": " + r.framesCompared() + " frames, " + r.messagesCompared()
                + " messages, " + r.fieldsCompared() + " fields; " + r.extraMessagesNotInTshark()
                + " later messages tshark does not decode; " + r.malformedByUs() + " malformed by us; quirks "
                + r.quirks());
        if (WITH_MQTTSN.contains(tc.toString())) {
            assertThat(r.framesCompared()).as("MQTT-SN frames compared in " + tc).isGreaterThan(0);
        }
    }

    @Test
    void spec_datagrams_match_tshark(@TempDir Path dir) throws IOException {
        Path pcap = MqttSnSpecPcap.write(dir);
        Report r = compare(new TestCapture(pcap, List.of()));
        System.out.println("mqttsn vs tshark spec datagrams: " + r);
        int n = MqttSnSpecPcap.DATAGRAMS.size();
        assertThat(r.framesCompared() + r.malformedByUs()).isEqualTo(n);
        assertThat(r.malformedByUs()).isEqualTo(5); // the five broken datagrams at the end
        assertThat(r.extraMessagesNotInTshark()).isEqualTo(1); // the PINGREQ after the PUBACK
        // each of the two Forwarder Encapsulations counts two messages (it and the one inside)
        assertThat(r.messagesCompared()).isEqualTo(r.framesCompared() + 2);
        assertThat(r.fieldsCompared()).isGreaterThan(5 * r.framesCompared() / 2);
        int last = n; // frame numbers of the quirks, counted from the end of the list
        assertThat(r.quirks()).containsExactlyInAnyOrder(
                "frame 9: empty WILLTOPIC: tshark reads a Flags octet past the message",
                "frame 32: empty WILLTOPICUPD: tshark reads a Flags octet past the message",
                "frame " + (last - 3) + ": too_short: tshark shows no MQTT-SN layer",
                "frame " + (last - 1) + ": length_exceeds_datagram: tshark does not flag it",
                "frame " + last + ": bad_length_for_type: tshark does not flag it");
    }

    /**
     * Decodes every datagram on port 1885 and compares the frames both sides decode with {@link TsharkComparator}
     * (asserting no difference); frames we find malformed, and the empty-Will quirk, are counted and named here.
     */
    static Report compare(TestCapture tc) throws IOException {
        Map<Long, List<DecodeResult<MqttSnMessage>>> ours = new TreeMap<>();
        Engine engine = Engine.builder().onUdp(d -> {
            if (d.srcPort == MqttSnDecoder.PORT || d.dstPort == MqttSnDecoder.PORT) {
                ByteView v = ByteView.of(d.payload, d.payloadOffset, d.payloadLength)
                        .withReported(d.declaredPayloadLength);
                ours.put(d.frame, MqttSnDecoder.decodeAll(v));
            }
        }).build();
        try (CaptureReader reader = Captures.open(tc.path().toString())) {
            engine.run(reader);
        }
        TsharkRecords.Rows rows = TsharkRecords.rows(tc, QUERY);
        Map<Long, Map<String, String>> theirs = TsharkComparator.byFrame(rows.rows());
        Map<Long, Map<String, String>> compared = new TreeMap<>(theirs);
        Map<Long, Map<String, String>> rendered = new TreeMap<>();
        List<String> quirks = new ArrayList<>();
        int quirkFrames = 0, messages = 0, extra = 0, malformed = 0;
        for (Map.Entry<Long, List<DecodeResult<MqttSnMessage>>> e : ours.entrySet()) {
            long f = e.getKey();
            List<DecodeResult<MqttSnMessage>> mine = e.getValue();
            Map<String, String> row = theirs.get(f);
            if (!(mine.get(0) instanceof DecodeResult.Decoded<MqttSnMessage> first)) {
                malformed++;
                compared.remove(f);
                // we stop at the problem; tshark shows what it read before it (fields not compared, see the docs)
                if (row == null) {
                    quirks.add("frame " + f + ": " + reason(mine.get(0)) + ": tshark shows no MQTT-SN layer");
                } else if (row.get("_ws.malformed").isEmpty()) {
                    quirks.add("frame " + f + ": " + reason(mine.get(0)) + ": tshark does not flag it");
                }
                continue;
            }
            Map<String, List<String>> expected = new LinkedHashMap<>();
            int n = render(first.value(), expected);
            if (row != null) {
                extra += mine.size() - 1;
                messages += n;
                if (first.value() instanceof WillTopic w && w.empty()
                        || first.value() instanceof WillTopicUpd u && u.empty()) {
                    quirks.add("frame " + f + ": empty " + first.value().typeName()
                            + ": tshark reads a Flags octet past the message");
                    quirkFrames++;
                    compared.remove(f);
                    continue;
                }
            }
            Map<String, String> values = new LinkedHashMap<>();
            expected.forEach((field, list) -> values.put(field, String.join(",", list)));
            rendered.put(f, values);
        }
        TsharkComparator.Result r = TsharkComparator.compare(QUERY, compared, rendered, Set.of(), frame -> "");
        TsharkComparator.report(QUERY.name(), tc.toString(), rows.source(), rendered.size(), r);
        assertThat(r.differences()).as("differences from tshark in " + tc).isEmpty();
        return new Report(r.framesCompared() + quirkFrames, messages, r.fieldsCompared(), extra, malformed,
                r.differences(), quirks);
    }

    /** Our message in tshark's fields, in the order its dissector adds them; returns the messages rendered. */
    static int render(MqttSnMessage m, Map<String, List<String>> out) {
        put(out, "mqttsn.msg.type", hex(m.type()));
        put(out, "mqttsn.msg.len", m.header().length());
        switch (m) {
            case Advertise a -> {
                put(out, "mqttsn.gw.id", a.gwId());
                put(out, "mqttsn.adv.interv", a.duration());
            }
            case SearchGw s -> put(out, "mqttsn.radius", s.radius());
            case GwInfo g -> {
                put(out, "mqttsn.gw.id", g.gwId());
                putText(out, "mqttsn.gw.addr", g.gwAdd().toByteArray());
            }
            case Connect c -> {
                put(out, "mqttsn.will", bool(c.flags().will()));
                put(out, "mqttsn.clean.session", bool(c.flags().cleanSession()));
                put(out, "mqttsn.topic.id.type", hex(c.flags().topicIdType().bits()));
                put(out, "mqttsn.protocol.id", hex(c.protocolId()));
                put(out, "mqttsn.keep.alive", c.duration());
                putText(out, "mqttsn.client.id", utf8(c.clientId()));
            }
            case ConnAck c -> put(out, "mqttsn.return.code", hex(c.returnCode()));
            case WillTopic w -> {
                if (!w.empty()) {
                    put(out, "mqttsn.topic.id.type", hex(w.flags().topicIdType().bits()));
                }
                putText(out, "mqttsn.will.topic", utf8(w.willTopic()));
            }
            case WillMsg w -> putText(out, "mqttsn.will.msg", w.willMsg().bytes().toByteArray());
            case Register r -> {
                put(out, "mqttsn.topic.id", r.topicId());
                put(out, "mqttsn.msg.id", r.msgId());
                putText(out, "mqttsn.topic", utf8(r.topicName()));
            }
            case RegAck r -> {
                put(out, "mqttsn.topic.id", r.topicId());
                put(out, "mqttsn.msg.id", r.msgId());
                put(out, "mqttsn.return.code", hex(r.returnCode()));
            }
            case Publish p -> {
                put(out, "mqttsn.dup", bool(p.flags().dup()));
                put(out, "mqttsn.qos", hex(p.flags().qosBits()));
                put(out, "mqttsn.retain", bool(p.flags().retain()));
                put(out, "mqttsn.topic.id.type", hex(p.flags().topicIdType().bits()));
                put(out, "mqttsn.topic.id", p.topicId());
                put(out, "mqttsn.msg.id", p.msgId());
                putText(out, "mqttsn.pub.msg", p.data().bytes().toByteArray());
            }
            case PubAck p -> {
                put(out, "mqttsn.topic.id", p.topicId());
                put(out, "mqttsn.msg.id", p.msgId());
                put(out, "mqttsn.return.code", hex(p.returnCode()));
            }
            case PubComp p -> put(out, "mqttsn.msg.id", p.msgId());
            case PubRec p -> put(out, "mqttsn.msg.id", p.msgId());
            case PubRel p -> put(out, "mqttsn.msg.id", p.msgId());
            case Subscribe s -> subscribe(out, s.flags(), s.msgId(), s.topic());
            case Unsubscribe s -> subscribe(out, s.flags(), s.msgId(), s.topic());
            case SubAck s -> {
                put(out, "mqttsn.topic.id.type", hex(s.flags().topicIdType().bits()));
                put(out, "mqttsn.topic.id", s.topicId());
                put(out, "mqttsn.msg.id", s.msgId());
                put(out, "mqttsn.return.code", hex(s.returnCode()));
            }
            case UnsubAck u -> put(out, "mqttsn.msg.id", u.msgId());
            case PingReq p -> putText(out, "mqttsn.client.id", utf8(p.clientId()));
            case Disconnect d -> {
                if (d.duration() >= 0) {
                    put(out, "mqttsn.sleep.timer", d.duration());
                }
            }
            case WillTopicUpd w -> {
                if (!w.empty()) {
                    put(out, "mqttsn.topic.id.type", hex(w.flags().topicIdType().bits()));
                }
                putText(out, "mqttsn.will.topic", utf8(w.willTopic()));
            }
            case WillTopicResp w -> put(out, "mqttsn.return.code", hex(w.returnCode()));
            case WillMsgUpd w -> putText(out, "mqttsn.will.msg", w.willMsg().bytes().toByteArray());
            case WillMsgResp w -> put(out, "mqttsn.return.code", hex(w.returnCode()));
            case Encapsulated e -> {
                put(out, "mqttsn.control.info", hex(e.ctrl() & 0x03));
                if (e.wirelessNodeId().length() >= 1 && e.wirelessNodeId().length() <= 4) {
                    put(out, "mqttsn.wireless.node.id", e.wirelessNodeIdValue());
                }
                return 1 + render(e.message(), out);
            }
            case WillTopicReq w -> {}
            case WillMsgReq w -> {}
            case PingResp p -> {}
            case Unknown u -> {}
        }
        return 1;
    }

    private static String reason(DecodeResult<MqttSnMessage> r) {
        return r instanceof DecodeResult.Malformed<MqttSnMessage> m ? m.reason().code() : "truncated";
    }

    private static void subscribe(Map<String, List<String>> out, MqttSnFlags flags, int msgId, MqttSnTopic topic) {
        put(out, "mqttsn.topic.id.type", hex(flags.topicIdType().bits()));
        put(out, "mqttsn.msg.id", msgId);
        byte[] raw = switch (topic) {
            case MqttSnTopic.Name n -> utf8(n.name());
            case MqttSnTopic.ShortName s -> utf8(s.name());
            case MqttSnTopic.PredefinedId p -> new byte[] {(byte) (p.id() >> 8), (byte) p.id()};
            case MqttSnTopic.NormalId p -> new byte[] {(byte) (p.id() >> 8), (byte) p.id()};
            case MqttSnTopic.Reserved r -> java.util.HexFormat.of().parseHex(r.hex());
        };
        putText(out, "mqttsn.topic.name.or.id", raw);
    }

    private static void put(Map<String, List<String>> out, String field, Object value) {
        out.computeIfAbsent(field, k -> new ArrayList<>()).add(String.valueOf(value));
    }

    /** An FT_STRING with ENC_ASCII as tshark 4.0 prints it: up to the first NUL, U+FFFD for octets over 0x7F. */
    private static void putText(Map<String, List<String>> out, String field, byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            if (x == 0) {
                break;
            }
            s.append(x < 0 ? '\uFFFD' : (char) x);
        }
        if (!s.isEmpty()) {
            put(out, field, s);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String hex(int v) {
        return String.format("0x%02x", v);
    }

    private static String bool(boolean b) {
        return b ? "1" : "0";
    }
}
