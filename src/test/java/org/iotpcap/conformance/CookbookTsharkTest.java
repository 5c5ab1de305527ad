package org.iotpcap.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.iotpcap.cli.Main;
import org.iotpcap.conformance.TsharkView.Endpoint;
import org.iotpcap.conformance.TsharkView.Mqtt;
import org.iotpcap.testing.MqttTopicExamples;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The polimi-2020-homework1 questions of docs/cookbook.md, and the analyses written for the course's other questions,
 * checked against tshark. The SQL is read from the cookbook's fenced blocks ({@code ```sql id=polimi-2020-q3}), run
 * with {@code iotpcap query}, and compared with the question's reading implemented here in plain Java over
 * {@code tshark -T fields} output ({@link TsharkView} for the MQTT records, one more pass for packet identifiers,
 * DUP, Will QoS, user names, passwords and CoAP). Topic questions go through {@link #matches}, the MQTT 4.7 rule
 * written here from the specification, not iotpcap's TopicFilter. No answer is typed in by hand.
 */
class CookbookTsharkTest {
    private static final Path CAPTURE = TestCaptures.SHARED.resolve("polimi-2020-homework1.pcapng");
    private static final Path COOKBOOK = Path.of("docs", "cookbook.md");

    private static Map<String, String> blocks;
    private static List<String> allSql;
    private static Facts facts;
    /** The capture indexed once (with --keep-secrets), so the many queries do not re-read it. */
    private static Path db;

    @BeforeAll
    static void load() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(CAPTURE), "polimi-2020-homework1.pcapng is absent");
        Tshark.assumeAvailable();
        blocks = new LinkedHashMap<>();
        Matcher m = Pattern.compile("```sql id=(\\S+)\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(COOKBOOK));
        while (m.find()) {
            assertTrue(blocks.put(m.group(1), m.group(2)) == null, "duplicate block id " + m.group(1));
        }
        allSql = new ArrayList<>();
        Matcher any = Pattern.compile("```sql[^\\n]*\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(COOKBOOK));
        while (any.find()) {
            allSql.add(any.group(1));
        }
        db = Files.createTempDirectory("cookbook").resolve("polimi.duckdb");
        exec("index", CAPTURE.toString(), "--db", db.toString(), "--keep-secrets");
        facts = new Facts(new TsharkView(new TestCapture(CAPTURE, List.of())));
    }

    // ---------------------------------------------------------------- the cookbook, A.Y. 2019/20 and 2020/21

    @Test
    void q2020_2_responseOfFrame6949() {
        assertResponse("polimi-2020-q2", 6949);
    }

    @Test
    void q2020_3_conContentRepliesToLocalhost() {
        long expected = facts.coap.stream().filter(c -> c.type == 0 && c.code == 69 && local(c.dst.ip())).count();
        assertEquals(expected, answer("polimi-2020-q3"));
        assertEquals(facts.exchangesWithResponse(e -> e.req.type == 0 && local(e.req.src.ip()), 69),
                answer("polimi-2020-q3-variant"));
    }

    /**
     * "containing the topic factory/department*&#47;+", with '*' a department number: a PUBLISH whose topic one of
     * the filters factory/department1/+, factory/department2/+, ... matches by MQTT 4.7 ({@link #matches}). The
     * numbers are every department number in tshark's PUBLISH topics. The variant reads '+' as one or more levels,
     * the filters factory/departmentN/+/#.
     */
    @Test
    void q2020_4_janeFactoryPublishes() {
        List<String> filters = facts.departmentNumbers().stream().map(n -> "factory/department" + n + "/+").toList();
        assertFalse(filters.isEmpty(), "the capture's topics name departments");
        assertEquals(facts.publishesBy(c -> "jane".equals(c.username), filters), answer("polimi-2020-q4"));
        assertEquals(facts.publishesBy(c -> "jane".equals(c.username), withHash(filters)),
                answer("polimi-2020-q4-variant"));
    }

    @Test
    void q2020_5_hivemqClientsWithWill() {
        assertEquals(facts.willClientsOf("hivemq"), answer("polimi-2020-q5"));
    }

    @Test
    void q2020_6_qos1PublishesNotAcked() {
        assertEquals(facts.flows.stream().filter(f -> f.qos == 1 && !f.complete()).count(), answer("polimi-2020-q6"));
    }

    @Test
    void q2020_7_qos0WillsDelivered() {
        List<Delivery> will = facts.willDeliveries();
        assertFalse(will.isEmpty(), "the capture shows will deliveries");
        long wills = will.stream().filter(d -> d.will.willQos == 0).map(d -> d.will.stream).distinct().count();
        assertEquals(wills, answer("polimi-2020-q7"));
        assertEquals(will.stream().filter(d -> d.publish.qos == 0).count(), answer("polimi-2020-q7-variant"));
    }

    @Test
    void q2020_8_qosAbove0PublishesOfOneClient() {
        Set<String> expected = new TreeSet<>();
        for (Flow f : facts.flows) {
            Msg connect = facts.connectOf.get(f.publish.m.stream());
            if (connect != null && "4m3DWYzWr40pce6OaBQAfk".equals(connect.m.clientId()) && f.c2s) {
                expected.add(f.publish.m.frame() + " qos" + f.qos + " " + f.complete());
            }
        }
        assertFalse(expected.isEmpty());
        Set<String> got = new TreeSet<>();
        for (JsonNode r : rows("polimi-2020-q8")) {
            got.add(r.get("publish_frame").asText() + " qos" + r.get("qos").asText() + " " + r.get("complete").asText());
        }
        assertEquals(expected, got);
    }

    @Test
    void q2020_9_averageMqtt5ConnectLength() {
        assertAverage(facts.msgs.stream().filter(x -> x.m.type() == 1 && Integer.valueOf(5).equals(x.m.version()))
                .mapToInt(x -> x.m.len()).average().orElseThrow(), "polimi-2020-q9");
    }

    // ---------------------------------------------------------------- the cookbook, A.Y. 2021/22

    @Test
    void q2021_2_responseOfFrame2428() {
        assertResponse("polimi-2021-q2", 2428);
    }

    @Test
    void q2021_3_contentRepliesToConRequestsOfLocalClients() {
        assertEquals(facts.exchangesWithResponse(e -> e.req.type == 0 && local(e.req.src.ip()), 69),
                answer("polimi-2021-q3"));
    }

    @Test
    void q2021_4_getsToMissingResourcesWithoutObserve() {
        assertEquals(facts.exchangesWithResponse(e -> e.req.code == 1 && !e.req.observe, 132), answer("polimi-2021-q4"));
    }

    /** As 2019/20 question 4, with '*' one digit ("[0-9]"): the filters factory/department0/+ to .../department9/+. */
    @Test
    void q2021_5_adminPasswordFactoryPublishes() {
        List<String> filters = new ArrayList<>();
        for (int n = 0; n <= 9; n++) {
            filters.add("factory/department" + n + "/+");
        }
        assertEquals(facts.publishesBy(c -> "admin".equals(c.password), filters), answer("polimi-2021-q5"));
        assertEquals(facts.publishesBy(c -> "admin".equals(c.password), withHash(filters)),
                answer("polimi-2021-q5-variant"));
    }

    /** The variant reading of the factory questions: f/# for every filter f (f itself and every topic below it). */
    private static List<String> withHash(List<String> filters) {
        return filters.stream().map(f -> f + "/#").toList();
    }

    @Test
    void q2021_6_mosquittoClientsWithWill() {
        assertEquals(facts.willClientsOf("mosquitto"), answer("polimi-2021-q6"));
    }

    @Test
    void q2021_7_qos2PublishesWithoutPubrel() {
        assertEquals(facts.flows.stream().filter(f -> f.qos == 2 && f.pubrel == null).count(), answer("polimi-2021-q7"));
        assertEquals(facts.flows.stream().filter(f -> f.qos == 2 && f.pubrec != null && f.pubrel == null).count(),
                answer("polimi-2021-q7-variant"));
    }

    @Test
    void q2021_8_averageWillTopicLengthOfEmptyClientIds() {
        assertAverage(facts.msgs.stream().filter(x -> x.m.type() == 1 && x.m.willFlag() && "".equals(x.m.clientId()))
                .mapToInt(x -> x.m.willTopic().getBytes(StandardCharsets.UTF_8).length).average().orElseThrow(),
                "polimi-2021-q8");
    }

    @Test
    void q2021_9_acksReceivedByOneClient() {
        Map<String, Long> expected = new TreeMap<>();
        Map<Integer, String> names = Map.of(2, "CONNACK", 4, "PUBACK", 5, "PUBREC", 6, "PUBREL", 7, "PUBCOMP",
                9, "SUBACK", 11, "UNSUBACK");
        for (Msg x : facts.msgs) {
            Msg connect = facts.connectOf.get(x.m.stream());
            if (connect != null && "6M5H8y3HJD5h4EEscWknTD".equals(connect.m.clientId()) && !facts.c2s(x)
                    && names.containsKey(x.m.type())) {
                expected.merge(names.get(x.m.type()), 1L, Long::sum);
            }
        }
        assertFalse(expected.isEmpty());
        Map<String, Long> got = new TreeMap<>();
        for (JsonNode r : rows("polimi-2021-q9")) {
            got.put(r.get("type").asText(), r.get("received").asLong());
        }
        assertEquals(expected, got);
    }

    @Test
    void q2021_10_averageMqtt31ConnectLength() {
        assertAverage(facts.msgs.stream().filter(x -> x.m.type() == 1 && Integer.valueOf(3).equals(x.m.version()))
                .mapToInt(x -> x.m.len()).average().orElseThrow(), "polimi-2021-q10");
    }

    /**
     * This test's own topic matcher, the oracle of the cookbook's topic answers, follows the specification's
     * examples ({@link MqttTopicExamples}; the SQL macro and the model's matcher are held to the same examples by
     * TopicMatchesMacroTest), and reads the questions' {@code +} as one whole level.
     */
    @Test
    void theTestsOwnTopicMatcherFollowsTheSpecExamples() {
        for (MqttTopicExamples.Example e : MqttTopicExamples.ALL) {
            assertEquals(e.matches(), matches(e.filter(), e.topic()), e.filter() + " " + e.topic());
        }
        assertFalse(matches("factory/department1/+", "factory/department1/section1/deposit"));
        assertTrue(matches("factory/department1/+/#", "factory/department1/section1/deposit"));
    }

    @Test
    void everyCookbookQueryRuns() {
        for (String sql : allSql) {
            assertNotNull(query(sql), sql);
        }
        assertTrue(blocks.size() >= 20, "the cookbook's polimi blocks are found: " + blocks.keySet());
        assertTrue(allSql.size() > blocks.size());
    }

    // ---------------------------------------------------------------- the analyses for the other questions

    @Test
    void mqttIncompleteQosFlows() {
        for (String[] set : new String[][] {{"1", "any"}, {"2", "any"}, {"2", "c2s"}, {"any", "s2c"}}) {
            List<Integer> expected = facts.flows.stream()
                    .filter(f -> !f.complete() && (set[0].equals("any") || f.qos == Integer.parseInt(set[0]))
                            && (set[1].equals("any") || f.c2s == set[1].equals("c2s")))
                    .map(f -> f.publish.m.frame()).sorted().toList();
            JsonNode r = run("mqtt-incomplete-qos-flows", "--set", "qos=" + set[0], "--set", "direction=" + set[1]);
            assertEquals(expected, column(r, "publish_frame"), String.join(" ", set));
            assertEquals(expected.size(), r.get("answer").asInt());
        }
    }

    @Test
    void mqttWillsDelivered() {
        for (String qos : List.of("any", "0", "1", "2")) {
            List<Integer> expected = facts.willDeliveries().stream()
                    .filter(d -> qos.equals("any") || d.publish.qos == Integer.parseInt(qos))
                    .map(d -> d.publish.m.frame()).sorted().toList();
            assertEquals(expected, column(run("mqtt-wills-delivered", "--set", "qos=" + qos), "frame"), "qos=" + qos);
        }
        for (int willQos = 0; willQos <= 2; willQos++) {
            int wq = willQos;
            List<Integer> expected = facts.willDeliveries().stream().filter(d -> d.will.willQos == wq)
                    .map(d -> d.publish.m.frame()).sorted().toList();
            assertEquals(expected, column(run("mqtt-wills-delivered", "--set", "will_qos=" + wq), "frame"));
        }
    }

    @Test
    void mqttWildcardReceivers() {
        for (String topic : List.of("factory/department3/room1/light", "university/x/area10/deposit", "a/b")) {
            for (String wildcard : List.of("any", "+", "#")) {
                // client key -> (broker, filters) from tshark's SUBSCRIBE messages
                Map<String, List<String>> filters = new TreeMap<>();
                Set<String> wildcardClients = new TreeSet<>();
                for (Msg x : facts.msgs) {
                    if (x.m.type() != 8) {
                        continue;
                    }
                    String key = facts.clientKey(x.m.stream()) + "@" + x.m.dst();
                    for (String f : x.m.topics()) {
                        filters.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
                        List<String> levels = List.of(f.split("/", -1));
                        boolean has = switch (wildcard) {
                            case "+" -> levels.contains("+");
                            case "#" -> levels.contains("#");
                            default -> levels.contains("+") || levels.contains("#");
                        };
                        if (has) {
                            wildcardClients.add(key);
                        }
                    }
                }
                Set<String> expected = new TreeSet<>();
                for (String c : wildcardClients) {
                    if (filters.get(c).stream().anyMatch(f -> matches(f, topic))) {
                        expected.add(c);
                    }
                }
                JsonNode r = run("mqtt-wildcard-receivers", "--set", "wildcard=" + wildcard, "--set",
                        "topic=" + topic);
                Set<String> all = new TreeSet<>();
                Set<String> receivers = new TreeSet<>();
                for (JsonNode e : r.get("evidence")) {
                    String key = e.get("client").asText() + "@" + e.get("broker").asText() + ":" + e.get("broker_port").asText();
                    all.add(key);
                    if (e.get("would_receive").asBoolean()) {
                        receivers.add(key);
                    }
                }
                assertEquals(wildcardClients, all, wildcard + " " + topic);
                assertEquals(expected, receivers, wildcard + " " + topic);
                assertEquals(expected.size(), r.get("answer").asInt());
            }
        }
    }

    @Test
    void coapNotFound() {
        for (String[] set : new String[][] {{"GET", "false"}, {"GET", "true"}, {"any", "false"}, {"DELETE", "false"}}) {
            Set<Integer> expected = new TreeSet<>();
            for (Exchange e : facts.exchanges()) {
                boolean method = set[0].equals("any") || e.req.code == Map.of("GET", 1, "DELETE", 4).get(set[0]);
                if (method && e.resp != null && e.resp.code == 132 && !(set[1].equals("true") && e.req.observe)) {
                    expected.add(e.req.frame);
                }
            }
            JsonNode r = run("coap-not-found", "--set", "server=any", "--set", "method=" + set[0], "--set",
                    "exclude_observe=" + set[1]);
            assertEquals(expected, ints(r, "first_frame"), String.join(" ", set));
        }
    }

    @Test
    void mqttTopicLevels() {
        assertEquals(facts.levelHistogram(Long.MIN_VALUE, Long.MAX_VALUE), histogram(run("mqtt-topic-levels",
                "--set", "broker=any")));
        Map<Integer, Long> local = new TreeMap<>();
        for (Msg x : facts.msgs) {
            if (x.m.type() == 3 && facts.c2s(x) && local(x.m.dst().ip())) {
                local.merge(x.m.topics().get(0).split("/", -1).length, 1L, Long::sum);
            }
        }
        JsonNode r = run("mqtt-topic-levels");
        assertEquals(local, histogram(r));
        assertEquals(local.values().stream().mapToLong(Long::longValue).sum(), r.get("answer").asLong());
    }

    @Test
    void runFromToRestrictsTheAnalysisToTheWindow() {
        long from = Instant.parse("2020-05-12T14:24:30Z").toEpochMilli() * 1_000_000L;
        long to = Instant.parse("2020-05-12T14:25:30Z").toEpochMilli() * 1_000_000L;
        Map<Integer, Long> expected = facts.levelHistogram(from, to);
        assertTrue(expected.values().stream().mapToLong(Long::longValue).sum()
                < facts.levelHistogram(Long.MIN_VALUE, Long.MAX_VALUE).values().stream().mapToLong(Long::longValue).sum());
        assertEquals(expected, histogram(run("mqtt-topic-levels", "--set", "broker=any",
                "--from", "2020-05-12T14:24:30Z", "--to", "2020-05-12T16:25:30+02:00")));
        assertEquals(expected, histogram(run("mqtt-topic-levels", "--set", "broker=any",
                "--from", "2020-05-12T16:24:30", "--to", "2020-05-12T16:25:30", "--tz", "Europe/Rome")));
    }

    // ---------------------------------------------------------------- running iotpcap

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static List<JsonNode> query(String sql) {
        String out = exec("query", db.toString(), sql, "--format", "json");
        return tree(out).valueStream().toList();
    }

    private static List<JsonNode> rows(String id) {
        String sql = blocks.get(id);
        assertNotNull(sql, "docs/cookbook.md has no block " + id);
        return query(sql);
    }

    private static long answer(String id) {
        List<JsonNode> r = rows(id);
        assertEquals(1, r.size(), id);
        return r.get(0).get("answer").asLong();
    }

    private static void assertAverage(double expected, String id) {
        List<JsonNode> r = rows(id);
        assertEquals(expected, r.get(0).get("answer").asDouble(), 1e-9, id);
    }

    private static JsonNode run(String analysis, String... args) {
        List<String> a = new ArrayList<>(List.of("run", analysis, db.toString(), "--format", "json"));
        a.addAll(List.of(args));
        return tree(exec(a.toArray(String[]::new)));
    }

    private static String exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, () -> String.join(" ", args) + ": " + err);
        return out.toString();
    }

    private static Set<Integer> ints(JsonNode result, String column) {
        Set<Integer> s = new TreeSet<>();
        for (JsonNode o : result.get("evidence")) {
            s.add(o.get(column).asInt());
        }
        return s;
    }

    private static List<Integer> column(JsonNode result, String column) {
        List<Integer> s = new ArrayList<>();
        for (JsonNode o : result.get("evidence")) {
            s.add(o.get(column).asInt());
        }
        return s.stream().sorted().toList();
    }

    private static Map<Integer, Long> histogram(JsonNode result) {
        Map<Integer, Long> h = new TreeMap<>();
        for (JsonNode e : result.get("evidence")) {
            h.put(e.get("levels").asInt(), e.get("publishes").asLong());
        }
        return h;
    }

    private static void assertResponse(String id, int requestFrame) {
        Exchange e = facts.exchanges().stream().filter(x -> x.req.frame == requestFrame).findFirst().orElseThrow();
        assertNotNull(e.resp, "tshark shows a response to frame " + requestFrame);
        List<JsonNode> r = rows(id);
        assertEquals(1, r.size());
        assertEquals(e.resp.frame, r.get(0).get("response_frame").asInt());
        assertEquals((e.resp.code >> 5) + "." + String.format("%02d", e.resp.code & 31), r.get(0).get("response_code").asText());
    }

    static boolean local(String ip) {
        return ip.startsWith("127.") || ip.equals("::1");
    }

    /**
     * MQTT 4.7 topic matching, written here from the specification's text and not from iotpcap's code: levels split
     * on '/' (4.7.1.1); '#' only as the last level, where it matches the parent level and every level below, and
     * anywhere else an invalid filter that matches nothing (4.7.1.2); '+' exactly one level, possibly empty
     * (4.7.1.3); a filter starting with a wildcard level matches no topic starting with '$' (4.7.2); names and
     * filters are at least one character long (4.7.3), so an empty one matches nothing.
     */
    static boolean matches(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (f[0].equals("+") || f[0].equals("#"))) {
            return false;
        }
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1;
            }
            if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
                return false;
            }
        }
        return f.length == t.length;
    }

    // ---------------------------------------------------------------- tshark's view, read the questions' way

    /** An MQTT message of {@link TsharkView} with the fields of the second tshark pass. */
    record Msg(Mqtt m, Integer msgid, boolean dup, int willQos, String username, String password, Integer qos,
            long timeNs) {}

    static final class Flow {
        final Msg publish;
        final int qos;
        final boolean c2s;
        Integer ack, pubrec, pubrel, pubcomp;

        Flow(Msg publish, boolean c2s) {
            this.publish = publish;
            this.qos = publish.qos;
            this.c2s = c2s;
        }

        boolean complete() {
            return qos == 1 ? ack != null : pubcomp != null;
        }
    }

    record Coap(int frame, Endpoint src, Endpoint dst, int type, int code, int mid, String token, boolean observe) {}

    record Exchange(Coap req, Coap resp) {}

    record Will(int stream, String broker, String topic, String payload, int willQos, int firedFrame) {}

    record Delivery(Msg publish, Will will) {}

    static final class Facts {
        final TsharkView view;
        final List<Msg> msgs = new ArrayList<>();
        final Map<Integer, Msg> connectOf = new HashMap<>();
        final List<Flow> flows = new ArrayList<>();
        final List<Coap> coap = new ArrayList<>();

        Facts(TsharkView view) {
            this.view = view;
            List<Map<String, String>> rows = Tshark.fields(CAPTURE, List.of("-o", "tcp.desegment_tcp_streams:TRUE",
                    "-Y", "mqtt || coap"), "frame.number", "frame.time_epoch", "frame.protocols", "ip.src", "ip.dst",
                    "udp.srcport", "udp.dstport", "tcp.analysis.retransmission", "mqtt.msgtype", "mqtt.hdrflags",
                    "mqtt.msgid", "mqtt.conflag.qos", "mqtt.conflag.uname", "mqtt.conflag.passwd",
                    "mqtt.username_len", "mqtt.username", "mqtt.passwd_len", "mqtt.passwd", "coap.type", "coap.code",
                    "coap.mid", "coap.token", "coap.opt.observe");
            Map<Integer, Deque<Mqtt>> byFrame = new LinkedHashMap<>();
            for (Mqtt m : view.mqtt) {
                byFrame.computeIfAbsent(m.frame(), f -> new ArrayDeque<>()).add(m);
            }
            for (Map<String, String> r : rows) {
                int frame = TsharkView.num(r.get("frame.number"));
                long ns = new BigDecimal(r.get("frame.time_epoch")).movePointRight(9).longValueExact();
                assertTrue(r.get("tcp.analysis.retransmission").isEmpty(), "the test assumes no TCP retransmission");
                if (r.get("frame.protocols").contains("coap") && !r.get("frame.protocols").contains("icmp")) {
                    coap.add(new Coap(frame, new Endpoint(r.get("ip.src"), TsharkView.num(r.get("udp.srcport"))),
                            new Endpoint(r.get("ip.dst"), TsharkView.num(r.get("udp.dstport"))),
                            Integer.parseInt(r.get("coap.type")), Integer.parseInt(r.get("coap.code")),
                            Integer.parseInt(r.get("coap.mid")), r.get("coap.token"), !r.get("coap.opt.observe").isEmpty()));
                }
                Deque<Mqtt> ms = byFrame.getOrDefault(frame, new ArrayDeque<>());
                List<Integer> types = TsharkView.ints(r.get("mqtt.msgtype"));
                if (types.isEmpty()) {
                    continue;
                }
                Deque<Integer> hdrflags = new ArrayDeque<>(TsharkView.ints(r.get("mqtt.hdrflags")));
                Deque<Integer> msgid = new ArrayDeque<>(TsharkView.ints(r.get("mqtt.msgid")));
                Deque<Integer> willQos = new ArrayDeque<>(TsharkView.ints(r.get("mqtt.conflag.qos")));
                Deque<String> uflag = new ArrayDeque<>(TsharkView.list(r.get("mqtt.conflag.uname")));
                Deque<String> pflag = new ArrayDeque<>(TsharkView.list(r.get("mqtt.conflag.passwd")));
                Deque<String> user = new ArrayDeque<>(TsharkView.split(r.get("mqtt.username"),
                        TsharkView.ints(r.get("mqtt.username_len"))));
                Deque<String> pass = new ArrayDeque<>(TsharkView.split(r.get("mqtt.passwd"),
                        TsharkView.ints(r.get("mqtt.passwd_len"))));
                for (int type : types) {
                    Mqtt m = ms.poll();
                    assertNotNull(m, "frame " + frame);
                    assertEquals(type, m.type(), "frame " + frame);
                    Integer hf = hdrflags.poll();
                    assertNotNull(hf, "frame " + frame);
                    int flags = hf;
                    Integer q = null, id = null;
                    boolean d = false;
                    int wq = -1;
                    String u = null, p = null;
                    if (type == 3) {
                        q = (flags & 0x06) >> 1;
                        d = (flags & 0x08) != 0;
                        assertEquals(m.qos(), q, "frame " + frame);
                        if (q != null && q > 0) {
                            id = msgid.poll();
                        }
                    } else if (type >= 4 && type <= 11) {
                        id = msgid.poll();
                    } else if (type == 1) {
                        Integer w = willQos.poll();
                        wq = w == null ? -1 : w;
                        if ("1".equals(uflag.poll())) {
                            u = user.poll();
                        }
                        if ("1".equals(pflag.poll())) {
                            p = pass.poll();
                        }
                    }
                    if (m.frameMalformed()) {
                        continue; // the incomplete last message of a malformed frame (docs/tshark-differences-analyses.md 4)
                    }
                    Msg x = new Msg(m, id, d, wq, u, p, q, ns);
                    msgs.add(x);
                    if (type == 1) {
                        connectOf.put(m.stream(), x);
                    }
                }
                assertTrue(msgid.isEmpty() && hdrflags.isEmpty(), "fields of frame " + frame + " align with its messages");
            }
            buildFlows();
        }

        /** The connection's client is the sender of its CONNECT. */
        boolean c2s(Msg x) {
            Msg connect = connectOf.get(x.m.stream());
            assertNotNull(connect, "stream " + x.m.stream() + " has a CONNECT");
            return connect.m.src().equals(x.m.src());
        }

        String clientKey(int stream) {
            Msg c = connectOf.get(stream);
            return c.m.clientId() == null || c.m.clientId().isEmpty() ? c.m.src().toString() : c.m.clientId();
        }

        /** MQTT 4.3: a QoS 1/2 PUBLISH and the acknowledgements with its packet identifier on the same connection. */
        private void buildFlows() {
            Map<String, Flow> open = new HashMap<>();
            for (Msg x : msgs) {
                int type = x.m.type();
                if (type == 3 && x.qos != null && x.qos > 0) {
                    String key = x.m.stream() + " " + x.m.src() + " " + x.msgid;
                    Flow f = open.get(key);
                    if (f != null && x.dup && !f.complete() && f.pubrec == null) {
                        continue; // a DUP re-send of the same PUBLISH
                    }
                    f = new Flow(x, c2s(x));
                    flows.add(f);
                    open.put(key, f);
                } else if (type >= 4 && type <= 7) {
                    // PUBACK, PUBREC, PUBCOMP come from the PUBLISH's receiver; PUBREL from its sender.
                    Endpoint publisher = type == 6 ? x.m.src() : x.m.dst();
                    Flow f = open.get(x.m.stream() + " " + publisher + " " + x.msgid);
                    if (f == null) {
                        continue;
                    }
                    switch (type) {
                        case 4 -> f.ack = x.m.frame();
                        case 5 -> f.pubrec = x.m.frame();
                        case 6 -> f.pubrel = x.m.frame();
                        default -> f.pubcomp = x.m.frame();
                    }
                }
            }
        }

        /** PUBLISH messages from clients on a connection whose CONNECT passes, with a topic one of the filters matches. */
        long publishesBy(java.util.function.Predicate<Msg> connect, List<String> filters) {
            return msgs.stream().filter(x -> x.m.type() == 3 && c2s(x) && connect.test(connectOf.get(x.m.stream()))
                    && filters.stream().anyMatch(f -> matches(f, x.m.topics().get(0)))).count();
        }

        /** The N of every topic level "departmentN" (N decimal digits) in the PUBLISH topics tshark shows. */
        Set<String> departmentNumbers() {
            Pattern department = Pattern.compile("department([0-9]+)");
            Set<String> numbers = new TreeSet<>();
            for (Msg x : msgs) {
                if (x.m.type() == 3) {
                    for (String level : x.m.topics().get(0).split("/", -1)) {
                        Matcher m = department.matcher(level);
                        if (m.matches()) {
                            numbers.add(m.group(1));
                        }
                    }
                }
            }
            return numbers;
        }

        long willClientsOf(String nameFragment) {
            Set<String> addresses = new TreeSet<>();
            view.dnsAddresses.forEach((name, a) -> {
                if (name.contains(nameFragment)) {
                    addresses.addAll(a);
                }
            });
            assertFalse(addresses.isEmpty(), nameFragment);
            return msgs.stream().filter(x -> x.m.type() == 1 && x.m.willFlag() && addresses.contains(x.m.dst().ip()))
                    .map(x -> clientKey(x.m.stream())).distinct().count();
        }

        /** Wills that fired (the connection's first FIN or RST came before any DISCONNECT) and their deliveries. */
        List<Delivery> willDeliveries() {
            Map<Integer, Integer> disconnect = new HashMap<>();
            for (Msg x : msgs) {
                if (x.m.type() == 14) {
                    disconnect.putIfAbsent(x.m.stream(), x.m.frame());
                }
            }
            Map<Integer, Integer> closed = new HashMap<>();
            for (TsharkView.TcpEvent e : view.tcp) {
                if (e.fin() || e.rst()) {
                    closed.putIfAbsent(e.stream(), e.frame());
                }
            }
            List<Will> wills = new ArrayList<>();
            for (Msg c : connectOf.values()) {
                Integer end = closed.get(c.m.stream());
                Integer disc = disconnect.get(c.m.stream());
                if (c.m.willFlag() && end != null && (disc == null || disc > end)) {
                    wills.add(new Will(c.m.stream(), c.m.dst().toString(), c.m.willTopic(), c.m.willPayloadHex(),
                            c.willQos, end));
                }
            }
            List<Delivery> out = new ArrayList<>();
            for (Msg x : msgs) {
                if (x.m.type() != 3 || c2s(x)) {
                    continue;
                }
                for (Will w : wills) {
                    if (w.broker.equals(x.m.src().toString()) && w.firedFrame < x.m.frame()
                            && w.topic.equals(x.m.topics().get(0)) && w.payload.equals(x.m.payloadHex())) {
                        out.add(new Delivery(x, w));
                        break;
                    }
                }
            }
            return out;
        }

        /** Distinct requests (client endpoint, MID) and the first response with their token (piggybacked: same MID). */
        List<Exchange> exchanges() {
            Map<String, Exchange> out = new LinkedHashMap<>();
            for (Coap c : coap) {
                if (c.code >= 1 && c.code <= 31) {
                    out.putIfAbsent(c.src + " " + c.mid, new Exchange(c, null));
                }
            }
            List<Exchange> list = new ArrayList<>();
            for (Exchange e : out.values()) {
                Coap resp = coap.stream().filter(r -> r.frame > e.req.frame && r.code >= 64 && r.src.equals(e.req.dst)
                        && r.dst.equals(e.req.src) && r.token.equals(e.req.token) && (r.type != 2 || r.mid == e.req.mid))
                        .findFirst().orElse(null);
                list.add(new Exchange(e.req, resp));
            }
            return list;
        }

        long exchangesWithResponse(java.util.function.Predicate<Exchange> request, int responseCode) {
            return exchanges().stream().filter(e -> e.resp != null && e.resp.code == responseCode && request.test(e))
                    .count();
        }

        /** PUBLISH from clients by number of topic levels, first byte's frame time in [from, to). */
        Map<Integer, Long> levelHistogram(long from, long to) {
            Map<Integer, Long> h = new TreeMap<>();
            for (Msg x : msgs) {
                if (x.m.type() == 3 && c2s(x) && x.timeNs >= from && x.timeNs < to) {
                    h.merge(x.m.topics().get(0).split("/", -1).length, 1L, Long::sum);
                }
            }
            return h;
        }
    }
}
