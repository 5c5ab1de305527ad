package org.iotpcap.dissect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.mqtt.MqttMessage.*;
import org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder;
import org.iotpcap.engine.Engine;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.dissect.tls.TlsSession;
import org.iotpcap.testing.TsharkComparator;
import org.iotpcap.testing.TsharkQuery;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every capture of {@link TestCaptures#all()} through the engine and {@link MqttStreamDecoder} (TCP port 1883
 * on either side, plus the capture's decode-as bindings), compared frame by frame with tshark 4.0's MQTT
 * fields. tshark shows a packet in the frame where it completes and joins the fields of several packets of
 * one frame; the same is built here from our messages (in completion order), using tshark's own rules for
 * which field a packet of a given protocol level fills, and compared by {@link TsharkComparator}. MQTT over TLS
 * on 8883 is decrypted ({@link TlsSession}) with the secrets the capture itself carries (pcapng Decryption
 * Secrets Blocks), as tshark does without options; without them neither side decodes it. Differences must be listed in {@link #KNOWN} and
 * explained in docs/tshark-differences-mqtt.md.
 */
class MqttTsharkConformanceTest {

    static final List<String> FIELDS = List.of("mqtt.msgtype", "mqtt.len", "mqtt.dupflag", "mqtt.qos",
            "mqtt.retain", "mqtt.hdr_reserved", "mqtt.topic", "mqtt.msgid", "mqtt.protoname", "mqtt.ver",
            "mqtt.conflags", "mqtt.conflag.uname", "mqtt.conflag.passwd", "mqtt.conflag.retain",
            "mqtt.conflag.qos", "mqtt.conflag.willflag", "mqtt.conflag.cleansess", "mqtt.conflag.reserved",
            "mqtt.kalive", "mqtt.clientid", "mqtt.willtopic", "mqtt.willmsg", "mqtt.username",
            "mqtt.passwd_len", "mqtt.sub.qos",
            "mqtt.subscription_options", "mqtt.suback.qos", "mqtt.suback.reason_code", "mqtt.conack.val",
            "mqtt.connack.reason_code", "mqtt.conack.flags.sp", "mqtt.puback.reason_code",
            "mqtt.pubrec.reason_code", "mqtt.pubrel.reason_code", "mqtt.pubcomp.reason_code",
            "mqtt.unsuback.reason_code", "mqtt.disconnect.reason_code", "mqtt.auth.reason_code",
            "mqtt.property_id", "mqtt.msg");

    /** Frames where we differ from tshark on purpose: capture file name to frames (see the docs file). */
    static final Map<String, Set<Long>> KNOWN = Map.of(
            // CONNECT whose Property Length (4351) exceeds the packet: tshark flags it _ws.malformed but still
            // lists it with the fields read before the exception; we report BAD_PROPERTY_LENGTH, no message.
            "suricata-verify-mqtt5-excessiveproplen.pcap", Set.of(4L),
            // Out-of-order segments (made on purpose by the fixture's bridge): tshark 4.0 with default settings
            // decodes the early second part of a CONNECT on its own (a bogus PUBREC in frame 61), so it never
            // decodes that CONNECT (67), reads the CONNACK with the wrong level (69) and misses the PUBLISHes
            // and DISCONNECT that follow in that stream (71, 76). See docs/tshark-differences-mqtt.md.
            "mqtt-segments.pcapng", Set.of(61L, 67L, 69L, 71L, 76L));

    static final TsharkQuery QUERY = TsharkQuery.of("mqtt", "mqtt", FIELDS);

    @TestFactory
    Stream<DynamicTest> everyCaptureMatchesTshark() {
        return TestCaptures.all().stream()
                .map(tc -> DynamicTest.dynamicTest(tc.toString(), () -> compare(tc)));
    }

    static void compare(TestCapture tc) throws Exception {
        Map<Long, List<String>> malformed = new TreeMap<>();
        Map<Long, Map<String, String>> ours = new TreeMap<>();
        decode(tc, malformed).forEach((frame, msgs) -> ours.put(frame, tsharkView(msgs)));
        TsharkComparator.Result r = TsharkComparator.check(tc, QUERY, MqttTsharkConformanceTest::normalize, ours,
                KNOWN.getOrDefault(tc.toString(), Set.of()),
                frame -> malformed.containsKey(frame) ? "our malformed " + malformed.get(frame) : "");
        if (r.tsharkFrames() > 0) {
            assertThat(r.framesCompared()).as("frames compared in " + tc).isPositive();
        }
    }

    static Map<Long, List<MqttFramed>> decode(TestCapture tc, Map<Long, List<String>> malformed) throws Exception {
        Set<Integer> ports = new TreeSet<>(List.of(1883));
        for (String b : tc.iotpcapDecode()) {
            if (b.startsWith("tcp.port==") && b.endsWith(":mqtt")) {
                ports.add(Integer.parseInt(b.substring("tcp.port==".length(), b.length() - ":mqtt".length())));
            }
        }
        Map<Long, List<MqttFramed>> out = new TreeMap<>();
        TlsSecrets secrets = new TlsSecrets();
        MqttSink sink = new MqttSink() {
            @Override
            public void onMessage(MqttFramed m) {
                out.computeIfAbsent(m.endFrame(), k -> new ArrayList<>()).add(m);
            }

            @Override
            public void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail) {
                malformed.computeIfAbsent(frame, k -> new ArrayList<>()).add(reason + ": " + detail);
            }
        };
        TcpStreamListener listener = new TcpStreamListener() {
            @Override
            public void onOpen(TcpConnection c) {
                if (ports.contains(c.client().port()) || ports.contains(c.server().port())) {
                    c.attachment = new MqttStreamDecoder(sink);
                } else if (c.client().port() == 8883 || c.server().port() == 8883) {
                    MqttStreamDecoder inner = new MqttStreamDecoder(sink);
                    c.attachment = new TlsSession(secrets, new TlsSession.Listener() {
                        @Override
                        public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                            inner.feed(fromClient, b, off, len, frame, nanos);
                        }

                        @Override
                        public void problem(long frame, String reason, String detail) {
                            malformed.computeIfAbsent(frame, k -> new ArrayList<>()).add("tls " + reason + ": " + detail);
                        }
                    });
                }
            }

            @Override
            public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length,
                               long frame, long ts) {
                if (c.attachment instanceof MqttStreamDecoder d) {
                    d.feed(fromClient, data, offset, length, frame, ts);
                } else if (c.attachment instanceof TlsSession t) {
                    t.feed(fromClient, data, offset, length, frame, ts);
                }
            }

            @Override
            public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                if (c.attachment instanceof MqttStreamDecoder d) {
                    d.gap(fromClient, bytes, frame);
                } else if (c.attachment instanceof TlsSession t) {
                    t.gap(fromClient, bytes, frame);
                }
            }

            @Override
            public void onClose(TcpConnection c) {
                if (c.attachment instanceof MqttStreamDecoder d) {
                    d.close();
                }
            }
        };
        try (CaptureReader r = Captures.open(tc.path().toString())) {
            r.onTlsKeyLog(secrets::addKeyLog);
            Engine.builder().onTcp(listener).build().run(r);
        }
        return out;
    }

    /** The fields tshark 4.0's packet-mqtt.c fills for these packets, joined as -E occurrence=a does. */
    static Map<String, String> tsharkView(List<MqttFramed> msgs) {
        Map<String, List<String>> v = new LinkedHashMap<>();
        for (String f : FIELDS) {
            v.put(f, new ArrayList<>());
        }
        for (MqttFramed fm : msgs) {
            // tshark 4.0 does not infer a level: where we inferred 3.1.1 (the same layout) it fills the fields
            // of an unknown level
            int level = fm.levelInferred() && fm.protocolLevel() == MqttVersion.V311
                    ? MqttVersion.UNKNOWN : fm.protocolLevel();
            int flags = fm.headerByte() & 0x0f;
            MqttMessage m = fm.message();
            MqttPacketType type = m.type();
            add(v, "mqtt.msgtype", type.code());
            if (type == MqttPacketType.PUBLISH) {
                add(v, "mqtt.dupflag", (flags >> 3) & 1);
                add(v, "mqtt.qos", (flags >> 1) & 3);
                add(v, "mqtt.retain", flags & 1);
            } else if (level == MqttVersion.V31 && (type == MqttPacketType.PUBREL
                    || type == MqttPacketType.SUBSCRIBE || type == MqttPacketType.UNSUBSCRIBE)) {
                add(v, "mqtt.dupflag", (flags >> 3) & 1);
                add(v, "mqtt.qos", (flags >> 1) & 3);
            } else {
                add(v, "mqtt.hdr_reserved", flags);
            }
            add(v, "mqtt.len", fm.remainingLength());
            switch (m) {
                case Connect c -> {
                    add(v, "mqtt.protoname", c.protocolName());
                    add(v, "mqtt.ver", c.protocolLevel());
                    add(v, "mqtt.conflags", String.format("0x%02x", c.flags()));
                    add(v, "mqtt.conflag.uname", bit(c.usernameFlag()));
                    add(v, "mqtt.conflag.passwd", bit(c.passwordFlag()));
                    add(v, "mqtt.conflag.retain", bit(c.willRetain()));
                    add(v, "mqtt.conflag.qos", c.willQos());
                    add(v, "mqtt.conflag.willflag", bit(c.willFlag()));
                    add(v, "mqtt.conflag.cleansess", bit(c.cleanSession()));
                    add(v, "mqtt.conflag.reserved", bit(c.reservedFlag()));
                    add(v, "mqtt.kalive", c.keepAliveSeconds());
                    props(v, c.properties());
                    add(v, "mqtt.clientid", c.clientId());
                    if (c.will() != null) {
                        props(v, c.will().properties());
                        add(v, "mqtt.willtopic", c.will().topic());
                        add(v, "mqtt.willmsg", bytes(c.will().payload()));
                    }
                    if (c.username() != null) {
                        add(v, "mqtt.username", c.username());
                    }
                    if (c.passwordPresent()) {
                        add(v, "mqtt.passwd_len", c.passwordLength());
                    }
                }
                case Connack c -> {
                    if (level != MqttVersion.V31) {
                        add(v, "mqtt.conack.flags.sp", bit(c.sessionPresent()));
                    }
                    add(v, level == MqttVersion.V31 || level == MqttVersion.V311 ? "mqtt.conack.val"
                            : "mqtt.connack.reason_code", c.code());
                    props(v, c.properties());
                }
                case Publish p -> {
                    add(v, "mqtt.topic", p.topic());
                    if (p.qos() > 0) {
                        add(v, "mqtt.msgid", p.packetId());
                    }
                    props(v, p.properties());
                    if (level == MqttVersion.V5 && p.topicAlias() != 0 && p.topic().isEmpty()) {
                        add(v, "mqtt.topic", p.resolvedTopic() == null ? "" : p.resolvedTopic());
                    }
                    add(v, "mqtt.msg", bytes(p.payload()));
                }
                case Puback a -> ack(v, "mqtt.puback.reason_code", a.packetId(), a.reasonCode(), a.properties(), fm);
                case Pubrec a -> ack(v, "mqtt.pubrec.reason_code", a.packetId(), a.reasonCode(), a.properties(), fm);
                case Pubrel a -> ack(v, "mqtt.pubrel.reason_code", a.packetId(), a.reasonCode(), a.properties(), fm);
                case Pubcomp a -> ack(v, "mqtt.pubcomp.reason_code", a.packetId(), a.reasonCode(), a.properties(), fm);
                case Subscribe s -> {
                    add(v, "mqtt.msgid", s.packetId());
                    props(v, s.properties());
                    for (Subscription sub : s.subscriptions()) {
                        add(v, "mqtt.topic", sub.filter());
                        if (level == MqttVersion.V5) {
                            add(v, "mqtt.subscription_options", String.format("0x%02x", sub.options()));
                        } else {
                            add(v, "mqtt.sub.qos", sub.options());
                        }
                    }
                }
                case Suback s -> {
                    add(v, "mqtt.msgid", s.packetId());
                    props(v, s.properties());
                    for (int code : s.codes()) {
                        add(v, level == MqttVersion.V31 || level == MqttVersion.V311 ? "mqtt.suback.qos"
                                : "mqtt.suback.reason_code", code);
                    }
                }
                case Unsubscribe u -> {
                    add(v, "mqtt.msgid", u.packetId());
                    props(v, u.properties());
                    u.filters().forEach(f -> add(v, "mqtt.topic", f));
                }
                case Unsuback u -> {
                    add(v, "mqtt.msgid", u.packetId());
                    props(v, u.properties());
                    u.codes().forEach(c -> add(v, "mqtt.unsuback.reason_code", c));
                }
                case Disconnect d -> {
                    if (level == MqttVersion.V5 && fm.remainingLength() > 0) {
                        add(v, "mqtt.disconnect.reason_code", d.reasonCode());
                        props(v, d.properties());
                    }
                }
                case Auth a -> {
                    if (fm.remainingLength() > 0) {
                        add(v, "mqtt.auth.reason_code", a.reasonCode());
                        props(v, a.properties());
                    }
                }
                case Pingreq p -> { }
                case Pingresp p -> { }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        v.forEach((k, list) -> out.put(k, String.join(",", list.stream().filter(s -> !s.isEmpty()).toList())));
        return out;
    }

    private static void ack(Map<String, List<String>> v, String field, int id, int code, MqttProperties props,
                            MqttFramed fm) {
        add(v, "mqtt.msgid", id);
        if (fm.protocolLevel() == MqttVersion.V5 && fm.remainingLength() > 2) {
            add(v, field, code);
            props(v, props);
        }
    }

    private static void props(Map<String, List<String>> v, MqttProperties p) {
        if (p != null) {
            p.list().forEach(x -> add(v, "mqtt.property_id", String.format("0x%02x", x.id())));
        }
    }

    /** tshark 4.0 prints a zero-length FT_BYTES field as "<MISSING>". */
    private static String bytes(org.iotpcap.bytes.ByteView b) {
        return b.length() == 0 ? "<MISSING>" : HexFormat.of().formatHex(b.toByteArray());
    }

    private static String bit(boolean b) {
        return b ? "1" : "0";
    }

    private static void add(Map<String, List<String>> v, String field, Object value) {
        v.get(field).add(String.valueOf(value));
    }

    static String normalize(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (String p : s.split(",", -1)) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        return String.join(",", parts);
    }
}
