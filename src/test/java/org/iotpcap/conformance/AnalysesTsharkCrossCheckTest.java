package org.iotpcap.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.iotpcap.cli.Main;
import org.iotpcap.conformance.TsharkView.Coap;
import org.iotpcap.conformance.TsharkView.Endpoint;
import org.iotpcap.conformance.TsharkView.Mqtt;
import org.iotpcap.conformance.TsharkView.MqttSnDatagram;
import org.iotpcap.conformance.TsharkView.TcpEvent;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A second, independent computation of the seven seed analyses ({@code ../shared/SEED-QUESTIONS.md}'s
 * definitions; question 5 with the receiving client's session, {@link Mqttc#session}) and of two of the broker's
 * view (mqtt-unreceived-publishes, mqtt-topic-fan-out), implemented here with plain collections over
 * {@code tshark -T fields} output, see
 * {@link TsharkView}), compared with {@code iotpcap run NAME CAPTURE --format json} on every capture of
 * {@link TestCaptures#all()}: the answer, and the evidence where it is cheap to rebuild (CoAP (client, MID) pairs,
 * resources, MQTT client keys, PUBLISH frames, MQTT-SN frames). The only iotpcap class used is {@link Main}.
 *
 * <p>Where tshark and the definitions cannot agree for a documented reason (docs/tshark-differences-analyses.md),
 * the case is handled explicitly below, by capture and frame, never by loosening a comparison.
 */
class AnalysesTsharkCrossCheckTest {
    private static final Map<Path, TsharkView> VIEWS = new ConcurrentHashMap<>();
    private static final Map<String, String> REPORT = new TreeMap<>();

    @BeforeAll
    static void tshark() {
        Tshark.assumeAvailable();
    }

    @AfterAll
    static void writeReport() throws IOException {
        Path out = Path.of("target", "analyses-tshark-crosscheck.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, REPORT.values(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    static Stream<TestCapture> captures() {
        return TestCaptures.all().stream();
    }

    private static TsharkView view(TestCapture tc) {
        return VIEWS.computeIfAbsent(tc.path(), p -> new TsharkView(tc));
    }

    // ------------------------------------------------------------------ 1. coap-unsuccessful-puts

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void coapUnsuccessfulPuts(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (List<String> v : List.of(List.of("local", "5683"), List.of("any", "5683"), List.of("local", "5699"))) {
            String server = v.get(0);
            int port = Integer.parseInt(v.get(1));
            {
                Map<String, String> params = params("server", server, "port", String.valueOf(port));
                check(failures, tc, "coap-unsuccessful-puts", params, () -> {
                    Predicate<String> in = addresses(tc, server);
                    List<Coap> msgs = view(tc).coap(port);
                    Set<List<Object>> unsuccessful = new HashSet<>();
                    Map<List<Object>, Coap> firstRequest = new LinkedHashMap<>();
                    for (Coap m : msgs) {
                        if (m.type() == 0 && m.code() == 3 && m.dst().port() == port && in.test(m.dst().ip())) {
                            firstRequest.putIfAbsent(List.of(m.src().ip(), m.src().port(), m.mid()), m);
                        }
                    }
                    for (Coap req : firstRequest.values()) {
                        Coap resp = response(msgs, req);
                        if (resp != null && (resp.code() >> 5) >= 4) {
                            unsuccessful.add(List.of(req.src().ip(), (long) req.src().port(), (long) req.mid()));
                        }
                    }
                    return new Expected(unsuccessful.size(), unsuccessful,
                            row -> List.of(row.get("client"), row.get("client_port"), row.get("mid")));
                });
            }
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    /** The first response (class 2..5) to a request: piggybacked (ACK, same MID and token) or separate (same token). */
    private static Coap response(List<Coap> msgs, Coap req) {
        for (Coap m : msgs) {
            if (m.frame() <= req.frame() || !m.src().equals(req.dst()) || !m.dst().equals(req.src())) {
                continue;
            }
            int cls = m.code() >> 5;
            if (cls < 2 || cls > 5 || !m.token().equals(req.token())) {
                continue;
            }
            if (m.type() == 2 && m.mid() == req.mid() || m.type() == 0 || m.type() == 1) {
                return m;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ 2. coap-equal-con-non-gets

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void coapEqualConNonGets(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (String server : List.of("coap.me", "local")) {
            Map<String, String> params = params("server", server, "port", "5683");
            check(failures, tc, "coap-equal-con-non-gets", params, () -> {
                Predicate<String> in = addresses(tc, server);
                Map<String, Set<List<Object>>> con = new HashMap<>();
                Map<String, Set<List<Object>>> non = new HashMap<>();
                for (Coap m : view(tc).coap(5683)) {
                    if (m.code() == 1 && m.type() <= 1 && m.dst().port() == 5683 && in.test(m.dst().ip())) {
                        (m.type() == 0 ? con : non).computeIfAbsent(m.path(), k -> new HashSet<>())
                                .add(List.of(m.src(), m.mid()));
                    }
                }
                Set<List<Object>> resources = new HashSet<>();
                Set<String> all = new HashSet<>(con.keySet());
                all.addAll(non.keySet());
                for (String r : all) {
                    int c = con.getOrDefault(r, Set.of()).size();
                    int n = non.getOrDefault(r, Set.of()).size();
                    if (c == n && c > 0) {
                        resources.add(List.of(r, (long) c, (long) n));
                    }
                }
                return new Expected(resources.size(), resources,
                        row -> List.of(row.get("resource"), row.get("con_gets"), row.get("non_gets")));
            });
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    // ------------------------------------------------------------------ 3. mqtt-wildcard-subscribers

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttWildcardSubscribers(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (List<String> v : List.of(List.of("broker.hivemq.com", "#"), List.of("broker.hivemq.com", "+"),
                List.of("any", "#"), List.of("any", "any"))) {
            String broker = v.get(0);
            String wildcard = v.get(1);
            {
                Map<String, String> params = params("broker", broker, "wildcard", wildcard);
                check(failures, tc, "mqtt-wildcard-subscribers", params, () -> {
                    Predicate<String> in = addresses(tc, broker);
                    Mqttc c = mqtt(tc);
                    assertThat(c.view.mqttUnaligned).as("frames whose MQTT messages tshark's fields cannot split")
                            .isEmpty();
                    Set<List<Object>> clients = new HashSet<>();
                    for (Mqtt m : c.messages) {
                        if (m.type() != 8 || !c.fromClient(m) || !in.test(m.dst().ip())) {
                            continue;
                        }
                        for (String f : m.topics()) {
                            List<String> levels = List.of(f.split("/", -1));
                            boolean hash = levels.contains("#"), plus = levels.contains("+");
                            if (wildcard.equals("#") ? hash : wildcard.equals("+") ? plus : hash || plus) {
                                clients.add(List.of(c.clientKey(m.stream())));
                            }
                        }
                    }
                    return new Expected(clients.size(), clients, row -> List.of(row.get("client")));
                });
            }
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    // ------------------------------------------------------------------ 4. mqtt-will-first-level

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttWillFirstLevel(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (String level : List.of("university", "universityX")) {
            check(failures, tc, "mqtt-will-first-level", params("level", level), () -> {
                Mqttc c = mqtt(tc);
                Set<List<Object>> clients = new HashSet<>();
                for (Mqtt m : c.messages) {
                    if (m.type() == 1 && m.willFlag() && m.willTopic().split("/", -1)[0].equals(level)) {
                        clients.add(List.of(c.clientKey(m.stream()), m.dst().ip(), (long) m.dst().port()));
                    }
                }
                return new Expected(clients.size(), clients,
                        row -> List.of(row.get("client"), row.get("broker"), row.get("broker_port")));
            });
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    // ------------------------------------------------------------------ 5. mqtt-will-receivers-exact

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttWillReceiversExact(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (String broker : List.of("any", "local")) {
            check(failures, tc, "mqtt-will-receivers-exact", params("broker", broker), () -> {
                Predicate<String> in = addresses(tc, broker);
                Mqttc c = mqtt(tc);
                record Will(int stream, Endpoint broker, String topic, String payload, int fired) {}
                List<Will> wills = new ArrayList<>();
                for (Mqtt m : c.messages) {
                    if (m.type() != 1 || !m.willFlag()) {
                        continue;
                    }
                    boolean disconnect = c.messages.stream().anyMatch(d -> d.stream() == m.stream() && d.type() == 14
                            && c.fromClient(d));
                    int end = c.view.tcp.stream().filter(e -> e.stream() == m.stream() && (e.fin() || e.rst())
                            && e.frame() > m.frame()).mapToInt(TcpEvent::frame).min().orElse(-1);
                    // a refused connection has no session and no will (MQTT 3.1.1 3.2.2.3, 5.0 3.2.2.2)
                    boolean refused = c.view.refusedStreams.contains(m.stream());
                    if (!disconnect && end > 0 && !refused) {
                        wills.add(new Will(m.stream(), m.dst(), m.willTopic(), m.willPayloadHex(), end));
                    }
                }
                Set<List<Object>> receivers = new HashSet<>();
                for (Mqtt p : c.messages) {
                    if (p.type() != 3 || c.fromClient(p) || p.topics().isEmpty() || !in.test(p.src().ip())) {
                        continue;
                    }
                    String topic = p.topics().get(0);
                    boolean isWill = wills.stream().anyMatch(w -> w.broker().equals(p.src()) && w.topic().equals(topic)
                            && w.payload().equals(p.payloadHex()) && w.fired() < p.frame());
                    if (isWill && c.holdsExact(p.stream(), topic, p.frame())) {
                        receivers.add(List.of(c.clientKey(p.stream()), p.src().ip(), (long) p.src().port()));
                    }
                }
                // Also the subscribers that would receive a will by an exact subscription held when it fired, but
                // show no delivery (reported by iotpcap with delivered = false, not counted).
                Set<List<Object>> evidence = new HashSet<>();
                receivers.forEach(r -> evidence.add(List.of(r.get(0), r.get(1), r.get(2), true)));
                for (Will w : wills) {
                    if (!in.test(w.broker().ip())) {
                        continue;
                    }
                    for (Map.Entry<Integer, Endpoint> e : c.client.entrySet()) {
                        int s = e.getKey();
                        boolean sameBroker = c.messages.stream().anyMatch(m -> m.stream() == s
                                && (c.fromClient(m) ? m.dst() : m.src()).equals(w.broker()));
                        List<Object> who = List.of(c.clientKey(s), w.broker().ip(), (long) w.broker().port());
                        // the subscriber's session is held when the will fires (not the will's own connection):
                        // its connection is open, or it is a persistent session waiting for its client
                        boolean open = s != w.stream() && c.sessionHeldAt(s, w.fired());
                        if (sameBroker && open && !receivers.contains(who) && c.holdsExact(s, w.topic(), w.fired())) {
                            evidence.add(List.of(who.get(0), who.get(1), who.get(2), false));
                        }
                    }
                }
                return new Expected(receivers.size(), evidence,
                        row -> List.of(row.get("client"), row.get("broker"), row.get("broker_port"), row.get("delivered")));
            });
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    // ------------------------------------------------------------------ 6. mqtt-retained-qos0-publishes

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttRetainedQos0Publishes(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (List<String> v : List.of(List.of("test.mosquitto.org", "0"), List.of("test.mosquitto.org", "1"),
                List.of("any", "0"), List.of("local", "0"))) {
            String broker = v.get(0);
            int qos = Integer.parseInt(v.get(1));
            {
                Map<String, String> params = params("broker", broker, "qos", String.valueOf(qos), "retain", "true");
                check(failures, tc, "mqtt-retained-qos0-publishes", params, () -> {
                    Predicate<String> in = addresses(tc, broker);
                    Mqttc c = mqtt(tc);
                    List<Object> frames = new ArrayList<>();
                    for (Mqtt m : c.messages) {
                        if (m.type() == 3 && !m.retransmission() && c.fromClient(m) && in.test(m.dst().ip())
                                && m.qos() == qos && m.retain()) {
                            frames.add(List.of((long) m.frame()));
                        }
                    }
                    return new Expected(frames.size(), frames, row -> List.of(row.get("end_frame")));
                });
            }
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    // ------------------------------------------------------------------ the broker's view: unreceived publishes

    /**
     * mqtt-unreceived-publishes from tshark's fields: each PUBLISH of a broker to a client forwards the latest client
     * PUBLISH before it to that broker endpoint with the same topic and payload (for a delivery with RETAIN set, the
     * latest retained one of the topic, which the broker stores, if its payload is the same: {@link #sources}); the
     * client PUBLISHes no delivery forwards are the evidence. Captures where tshark shows a PUBLISH without its topic
     * or payload (an MQTT 5 Topic Alias, payloads tshark cannot align in a frame) are not compared.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttUnreceivedPublishes(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (String broker : List.of("any", "local")) {
            check(failures, tc, "mqtt-unreceived-publishes", params("broker", broker), () -> {
                Predicate<String> in = addresses(tc, broker);
                Mqttc c = mqtt(tc);
                List<Mqtt> sent = sentPublishes(c);
                Set<Mqtt> forwarded = new HashSet<>(sources(c).values());
                List<Object> frames = new ArrayList<>();
                for (Mqtt p : sent) {
                    if (in.test(p.dst().ip()) && !forwarded.contains(p)) {
                        frames.add(List.of((long) p.frame(), p.topics().get(0)));
                    }
                }
                return new Expected(frames.size(), frames, row -> List.of(row.get("end_frame"), row.get("topic")));
            });
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    /** mqtt-topic-fan-out from tshark's fields: per broker and topic, the deliveries that forward a client PUBLISH ({@link #sources}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttTopicFanOut(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        // tshark 4.0 decodes no PUBLISH of the stream whose CONNECT came out of order (frame 71, plant/tank2/level:
        // docs/tshark-differences-mqtt.md), so its topics lack that one; iotpcap decodes it
        org.junit.jupiter.api.Assumptions.assumeFalse(tc.toString().equals("mqtt-segments.pcapng"),
                "tshark shows no PUBLISH in frame 71 (docs/tshark-differences-analyses.md 9)");
        check(failures, tc, "mqtt-topic-fan-out", params("broker", "any"), () -> {
            Mqttc c = mqtt(tc);
            Map<List<Object>, Long> deliveries = new LinkedHashMap<>();
            for (Mqtt p : sentPublishes(c)) {
                deliveries.putIfAbsent(List.of(p.dst().ip(), (long) p.dst().port(), p.topics().get(0)), 0L);
            }
            sources(c).values().forEach(p -> deliveries.merge(List.of(p.dst().ip(), (long) p.dst().port(),
                    p.topics().get(0)), 1L, Long::sum));
            List<Object> rows = new ArrayList<>();
            deliveries.forEach((k, n) -> rows.add(List.of(k.get(0), k.get(1), k.get(2), n)));
            return new Expected(rows.size(), rows, row -> List.of(row.get("broker"), row.get("broker_port"),
                    row.get("topic"), row.get("deliveries")));
        });
        assertThat(failures).as("disagreements").isEmpty();
    }

    /** The clients' PUBLISHes tshark shows, in frame order; the capture is not compared when one lacks its topic or payload. */
    private static List<Mqtt> sentPublishes(Mqttc c) {
        List<Mqtt> publishes = c.messages.stream().filter(m -> m.type() == 3 && !m.retransmission()).toList();
        org.junit.jupiter.api.Assumptions.assumeTrue(publishes.stream().allMatch(m -> !m.topics().isEmpty()
                && !m.topics().get(0).isEmpty() && m.payloadHex() != null),
                "tshark shows a PUBLISH without its topic or payload");
        return publishes.stream().filter(c::fromClient).toList();
    }

    /**
     * Each broker PUBLISH to a client and the client PUBLISH it forwards: the latest before it to that broker
     * endpoint with the same topic and payload; for a delivery with RETAIN set, the latest retained one of the
     * topic (the one the broker stores) if its payload is the same.
     */
    private static Map<Mqtt, Mqtt> sources(Mqttc c) {
        List<Mqtt> sent = sentPublishes(c);
        Map<Mqtt, Mqtt> out = new LinkedHashMap<>();
        for (Mqtt d : c.messages) {
            if (d.type() != 3 || d.retransmission() || c.fromClient(d)) {
                continue;
            }
            Mqtt source = null;
            for (Mqtt p : sent) {
                if (p.frame() > d.frame()) {
                    break;
                }
                boolean sameTopic = p.dst().equals(d.src()) && p.topics().equals(d.topics());
                if (sameTopic && Boolean.TRUE.equals(d.retain()) && Boolean.TRUE.equals(p.retain())) {
                    source = p.payloadHex().equals(d.payloadHex()) ? p : null;
                } else if (sameTopic && !Boolean.TRUE.equals(d.retain()) && p.payloadHex().equals(d.payloadHex())) {
                    source = p;
                }
            }
            if (source != null) {
                out.put(d, source);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ 7. mqttsn-to-local-broker

    /**
     * tshark 4.0 decodes only the first MQTT-SN message of a datagram (docs/tshark-differences-mqttsn.md, 1), so
     * the number of messages per datagram is taken from the datagram itself: the Length fields (spec v1.2 section
     * 5.2.1) laid end to end over tshark's {@code udp.payload}, the first of which must equal tshark's own
     * {@code mqttsn.msg.len}. The set of datagrams (frames) is tshark's.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void mqttsnToLocalBroker(TestCapture tc) {
        List<String> failures = new ArrayList<>();
        for (List<String> v : List.of(List.of("local", "1885"), List.of("any", "1885"), List.of("local", "1886"))) {
            String broker = v.get(0);
            int port = Integer.parseInt(v.get(1));
            {
                Map<String, String> params = params("broker", broker, "port", String.valueOf(port));
                // iotpcap decodes MQTT-SN on 1885 only unless told (like tshark): both get the same binding.
                List<String> decode = port == 1885 ? List.of() : List.of("udp.port==" + port + ":mqttsn");
                check(failures, tc, "mqttsn-to-local-broker", params, decode, () -> {
                    Predicate<String> in = addresses(tc, broker);
                    List<Object> frames = new ArrayList<>();
                    for (MqttSnDatagram d : view(tc).mqttsn(port)) {
                        if (d.dst().port() != port || !in.test(d.dst().ip())) {
                            continue;
                        }
                        List<Integer> lengths = framing(d.payloadHex());
                        if (!lengths.isEmpty() && !d.firstLengths().isEmpty()) {
                            assertThat(lengths.get(0)).as("frame %d: first Length", d.frame())
                                    .isEqualTo(d.firstLengths().get(0));
                        }
                        for (int k = 0; k < lengths.size(); k++) {
                            frames.add(List.of((long) d.frame()));
                        }
                    }
                    return new Expected(frames.size(), frames, row -> List.of(row.get("frame")));
                });
            }
        }
        assertThat(failures).as("disagreements").isEmpty();
    }

    /**
     * The Length of each message laid end to end in a datagram (MQTT-SN v1.2 section 5.2.1); a Forwarder
     * Encapsulation header (MsgType 0xFE, section 5.5) and the message it carries count as one message (its Length
     * is the header's). Stops at the first Length that cannot be a message.
     */
    static List<Integer> framing(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        List<Integer> out = new ArrayList<>();
        int o = 0;
        while (o < b.length) {
            int[] m = lengthAt(b, o);
            if (m == null) {
                break;
            }
            boolean encapsulation = (b[o + m[1] - 1] & 0xFF) == 0xFE;
            o += m[0];
            if (encapsulation) {
                int[] inner = lengthAt(b, o);
                if (inner == null) {
                    break;
                }
                o += inner[0];
            }
            out.add(m[0]);
        }
        return out;
    }

    /** {Length, header size (Length octets + MsgType)} of the message at o, or null when none fits. */
    private static int[] lengthAt(byte[] b, int o) {
        if (o >= b.length) {
            return null;
        }
        int len;
        int header;
        if ((b[o] & 0xFF) == 0x01) {
            if (o + 3 > b.length) {
                return null;
            }
            len = ((b[o + 1] & 0xFF) << 8) | (b[o + 2] & 0xFF);
            header = 4;
        } else {
            len = b[o] & 0xFF;
            header = 2;
        }
        return len < header || o + len > b.length ? null : new int[] {len, header};
    }

    // ------------------------------------------------------------------ MQTT connections

    private static final Map<Path, Mqttc> MQTT = new ConcurrentHashMap<>();

    private static Mqttc mqtt(TestCapture tc) {
        return MQTT.computeIfAbsent(tc.path(), p -> new Mqttc(view(tc)));
    }

    /** MQTT messages (complete ones only) with each TCP connection's client endpoint and client key. */
    static final class Mqttc {
        final TsharkView view;
        final List<Mqtt> messages;
        final Map<Integer, Endpoint> client = new HashMap<>();
        final Map<Integer, String> clientId = new HashMap<>();

        Mqttc(TsharkView view) {
            this.view = view;
            this.messages = view.mqtt.stream().filter(m -> !m.frameMalformed()).toList();
            for (Mqtt m : messages) {
                if (m.type() == 1 && !client.containsKey(m.stream())) {
                    client.put(m.stream(), m.src());
                    clientId.put(m.stream(), m.clientId());
                }
            }
            for (TcpEvent e : view.tcp) {
                if (e.syn() && !e.ack()) {
                    client.putIfAbsent(e.stream(), e.src());
                }
            }
            for (Mqtt m : messages) {
                switch (m.type()) {
                    case 8, 10, 12 -> client.putIfAbsent(m.stream(), m.src());
                    case 2, 9, 11, 13 -> client.putIfAbsent(m.stream(), m.dst());
                    default -> { }
                }
            }
            for (Mqtt m : messages) {
                if (!client.containsKey(m.stream())) {
                    client.put(m.stream(), m.src().port() > m.dst().port() ? m.src() : m.dst());
                }
            }
        }

        boolean fromClient(Mqtt m) {
            return m.src().equals(client.get(m.stream()));
        }

        String clientKey(int stream) {
            String id = clientId.get(stream);
            return id != null && !id.isEmpty() ? id : client.get(stream).toString();
        }

        /**
         * The streams of the session that {@code stream} belongs to (SEED-QUESTIONS question 5; MQTT 3.1.2.4): the
         * connections of the same client identifier to the same broker, in CONNECT order, chained while the later
         * one has Clean Session / Clean Start 0 and its CONNACK (when tshark shows it) says Session Present.
         */
        List<Integer> session(int stream) {
            Mqtt connect = connect(stream);
            if (connect == null || connect.clientId() == null || connect.clientId().isEmpty()) {
                return List.of(stream);
            }
            List<Integer> all = messages.stream().filter(m -> m.type() == 1 && fromClient(m)
                    && connect.clientId().equals(m.clientId()) && m.dst().equals(connect.dst())
                    && connect(m.stream()) == m).map(Mqtt::stream).toList();
            int at = all.indexOf(stream);
            int first = at;
            while (first > 0 && resumes(all.get(first))) {
                first--;
            }
            int last = at;
            while (last + 1 < all.size() && resumes(all.get(last + 1))) {
                last++;
            }
            return all.subList(first, last + 1);
        }

        private Mqtt connect(int stream) {
            return messages.stream().filter(m -> m.stream() == stream && m.type() == 1 && fromClient(m)).findFirst()
                    .orElse(null);
        }

        private boolean resumes(int stream) {
            Mqtt c = connect(stream);
            Boolean present = messages.stream().filter(m -> m.stream() == stream && m.type() == 2)
                    .findFirst().map(Mqtt::sessionPresent).orElse(null);
            return c != null && Boolean.FALSE.equals(c.cleanSession()) && !Boolean.FALSE.equals(present);
        }

        /** The frame where the connection ended (FIN, RST or the client's DISCONNECT), or MAX_VALUE. */
        private int ended(int stream) {
            int tcpEnd = view.tcp.stream().filter(t -> t.stream() == stream && (t.fin() || t.rst()))
                    .mapToInt(TcpEvent::frame).min().orElse(Integer.MAX_VALUE);
            int disconnect = messages.stream().filter(m -> m.stream() == stream && m.type() == 14 && fromClient(m))
                    .mapToInt(Mqtt::frame).min().orElse(Integer.MAX_VALUE);
            return Math.min(tcpEnd, disconnect);
        }

        /**
         * The session of {@code stream} is held at {@code frame}: one of its connections is open then, or it is
         * resumed later, or its last connection (3.1.1, Clean Session 0) ended before and no later one replaced it.
         */
        boolean sessionHeldAt(int stream, int frame) {
            List<Integer> s = session(stream);
            Mqtt first = connect(s.get(0));
            if (first != null && first.frame() >= frame) {
                return false;
            }
            for (int x : s) {
                Mqtt c = connect(x);
                if (c != null && c.frame() > frame || (c == null || c.frame() < frame) && ended(x) > frame) {
                    return true;
                }
            }
            Mqtt last = connect(s.get(s.size() - 1));
            return last != null && Boolean.FALSE.equals(last.cleanSession()) && last.version() != null
                    && last.version() < 5 && messages.stream().noneMatch(m -> m.type() == 1 && fromClient(m)
                    && m.frame() > last.frame() && m.frame() < frame && last.clientId().equals(m.clientId())
                    && m.dst().equals(last.dst()));
        }

        /**
         * The client's session subscribed to exactly this topic (no wildcard) before the frame, not removed: on
         * this connection or an earlier one of the session ({@link #session}).
         */
        boolean holdsExact(int stream, String topic, int frame) {
            List<Integer> session = session(stream);
            int subscribed = -1;
            for (Mqtt m : messages) {
                if (!session.contains(m.stream()) || m.frame() >= frame || !fromClient(m) || !m.topics().contains(topic)) {
                    continue;
                }
                if (m.type() == 8) {
                    subscribed = m.frame();
                } else if (m.type() == 10) {
                    subscribed = -1;
                }
            }
            return subscribed > 0 && !topic.contains("+") && !topic.contains("#");
        }
    }

    // ------------------------------------------------------------------ parameters and comparison

    /** A server / broker parameter as an address predicate; an unresolved name is an AssumptionLike marker. */
    private static Predicate<String> addresses(TestCapture tc, String value) {
        return switch (value) {
            case "any" -> a -> true;
            case "local" -> AnalysesTsharkCrossCheckTest::isLocal;
            default -> {
                Set<String> resolved = view(tc).resolve(value);
                if (resolved.isEmpty()) {
                    throw new Unresolved(value);
                }
                yield resolved::contains;
            }
        };
    }

    static boolean isLocal(String ip) {
        return ip.startsWith("127.") || ip.equals("::1");
    }

    /** A named server with no DNS answer in the capture: iotpcap must fail with exit code 5 naming it. */
    private static final class Unresolved extends RuntimeException {
        final String name;

        Unresolved(String name) {
            super(name, null, false, false);
            this.name = name;
        }
    }

    /** The answer and evidence rows tshark's output gives, and how to read the same key from an iotpcap row. */
    record Expected(long answer, Collection<?> evidence, java.util.function.Function<Map<String, Object>, Object> key) {}

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void check(List<String> failures, TestCapture tc, String analysis, Map<String, String> params,
            java.util.function.Supplier<Expected> tshark) {
        check(failures, tc, analysis, params, List.of(), tshark);
    }

    private static void check(List<String> failures, TestCapture tc, String analysis, Map<String, String> params,
            List<String> extraDecode, java.util.function.Supplier<Expected> tshark) {
        try {
            check(tc, analysis, params, extraDecode, tshark);
        } catch (AssertionError e) {
            failures.add(e.getMessage());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** An evidence cell as the expected keys hold it: text, a Long for an integer, a Boolean, or null. */
    private static Object plain(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.isNumber() ? v.decimalValue() : v.asText();
    }

    private static void check(TestCapture tc, String analysis, Map<String, String> params, List<String> extraDecode,
            java.util.function.Supplier<Expected> tshark) {
        List<String> args = new ArrayList<>(List.of("run", analysis, tc.path().toString(), "--format", "json"));
        params.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        List<String> decode = new ArrayList<>(tc.iotpcapDecode());
        decode.addAll(extraDecode);
        for (String d : decode) {
            args.addAll(List.of("--decode", d));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        String label = tc + " " + analysis + " " + params;
        Expected expected;
        try {
            expected = tshark.get();
        } catch (Unresolved u) {
            report(label, "no DNS answer for " + u.name + "; iotpcap exit " + exit);
            assertThat(exit).as(label + ": exit code (stderr: " + err + ")").isEqualTo(5);
            assertThat(err.toString()).as(label).contains(u.name);
            return;
        }
        assertThat(exit).as(label + ": exit code (stderr: " + err + ")").isZero();
        JsonNode json = tree(out.toString());
        long answer = json.get("answer").asLong();
        report(label, "iotpcap " + answer + ", tshark " + expected.answer() + (answer == expected.answer() ? " agree"
                : " DIFFER"));
        List<Object> keys = new ArrayList<>();
        for (JsonNode node : json.get("evidence")) {
            Map<String, Object> row = new LinkedHashMap<>();
            node.properties().forEach(e -> row.put(e.getKey(), plain(e.getValue())));
            Object k = expected.key().apply(row);
            if (k != null) {
                keys.add(k);
            }
        }
        assertThat(answer).as(label + ": answer").isEqualTo(expected.answer());
        if (expected.evidence() instanceof Set<?>) {
            assertThat(new HashSet<>(keys)).as(label + ": evidence").isEqualTo(expected.evidence());
        } else {
            assertThat(keys).as(label + ": evidence").containsExactlyInAnyOrderElementsOf(expected.evidence());
        }
    }

    private static synchronized void report(String label, String line) {
        REPORT.put(label, label + ": " + line); // written to target/analyses-tshark-crosscheck.txt
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
