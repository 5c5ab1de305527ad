package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.Packets.bytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iotpcap.testing.RawPcap;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line through {@link Main#execute}: query output formats, SQL sandboxing and errors, index,
 * export, analyses and run, and their exit codes (docs/cli.md, {@link ExitCodes}). The capture is written here
 * from hand-made packets; expected values come from tshark on that file or from the bytes written.
 */
class CliTest {
    @TempDir
    static Path tmp;

    static Path capture;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : List.of(err.strip().split("\n"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON document {@code text} as Jackson's tree. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    // DNS response (RFC 1035 4.1), one question and one A answer, names uncompressed.
    private static byte[] name(String dotted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String label : dotted.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    private static byte[] dnsA(int id, String qname, int... address) {
        return bytes(id >> 8, id & 0xFF, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, name(qname), 0x00, 0x01, 0x00, 0x01,
                name(qname), 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 60, 0x00, 0x04, address[0], address[1], address[2], address[3]);
    }

    private static byte[] mqttStr(String s) {
        return bytes(s.length() >> 8, s.length() & 0xFF, s);
    }

    @BeforeAll
    static void writeCapture() throws Exception {
        RawPcap p = new RawPcap();
        // frames 1-2: DNS answers for coap.me and broker.hivemq.com (test.mosquitto.org is never answered)
        p.udp("10.0.0.53", 53, "10.0.0.1", 40000, dnsA(1, "coap.me", 10, 0, 0, 2));
        p.udp("10.0.0.53", 53, "10.0.0.1", 40000, dnsA(2, "broker.hivemq.com", 10, 0, 0, 100));
        // frames 3-5: a Confirmable PUT to the local server, retransmitted, answered 4.04 (piggybacked)
        byte[] put = bytes(0x41, 0x03, 0x10, 0x01, 0xA1, 0xB4, "temp", 0xFF, "21,5");
        p.udp("127.0.0.1", 50000, "127.0.0.1", 5683, put);
        p.udp("127.0.0.1", 50000, "127.0.0.1", 5683, put);
        p.udp("127.0.0.1", 5683, "127.0.0.1", 50000, bytes(0x61, 0x84, 0x10, 0x01, 0xA1));
        // frames 6-7: one CON and one NON GET of /time to coap.me (10.0.0.2)
        p.udp("10.0.0.1", 50001, "10.0.0.2", 5683, bytes(0x41, 0x01, 0x20, 0x01, 0xB1, 0xB4, "time"));
        p.udp("10.0.0.1", 50001, "10.0.0.2", 5683, bytes(0x51, 0x01, 0x20, 0x02, 0xB2, 0xB4, "time"));
        // MQTT 3.1.1 to broker.hivemq.com: CONNECT (user name and password), CONNACK, SUBSCRIBE a/#, SUBACK
        byte[] connect = bytes(0x10, 10 + 2 + 3 + 2 + 1 + 2 + 6, mqttStr("MQTT"), 0x04, 0xC2 /* user, password, clean */,
                0x00, 0x3C, mqttStr("cli"), mqttStr("u"), mqttStr("s3cret"));
        p.tcp("10.0.0.1", 40001, "10.0.0.100", 1883).handshake().client(connect).server(bytes(0x20, 0x02, 0x00, 0x00))
                .client(bytes(0x82, 0x08, 0x00, 0x01, mqttStr("a/#"), 0x00)).server(bytes(0x90, 0x03, 0x00, 0x01, 0x00))
                .client(bytes(0xE0, 0x00)).close();
        capture = tmp.resolve("cli.pcap");
        p.write(capture);
    }

    private static final String COAP_SQL = "SELECT frame, src, src_port, mid, token FROM coap_messages ORDER BY frame";

    /** tshark's view of the CoAP messages: frame, source, source port, Message ID, token. */
    private static List<List<String>> tsharkCoap() {
        Tshark.assumeAvailable();
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, String> r : Tshark.fields(capture, List.of("-Y", "coap"), "frame.number", "ip.src",
                "udp.srcport", "coap.mid", "coap.token")) {
            rows.add(new ArrayList<>(r.values()));
        }
        assertThat(rows).hasSize(5);
        return rows;
    }

    @Test
    void query_csv_matches_tshark() {
        Result r = run("query", capture.toString(), COAP_SQL, "--format", "csv");
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        List<String> expected = new ArrayList<>(List.of("frame,src,src_port,mid,token"));
        tsharkCoap().forEach(row -> expected.add(String.join(",", row)));
        assertThat(r.out().strip().split("\n")).containsExactlyElementsOf(expected);
    }

    @Test
    void query_json_matches_tshark() {
        Result r = run("query", capture.toString(), COAP_SQL, "--format", "json");
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        List<List<String>> actual = new ArrayList<>();
        for (JsonNode m : json(r.out())) {
            assertThat(m.propertyStream().map(Map.Entry::getKey)).containsExactly("frame", "src", "src_port", "mid", "token");
            assertThat(m.get("frame").isIntegralNumber()).isTrue();
            actual.add(m.propertyStream().map(e -> e.getValue().asText()).toList());
        }
        assertThat(actual).isEqualTo(tsharkCoap());
    }

    @Test
    void query_table_matches_tshark() {
        Result r = run("query", capture.toString(), COAP_SQL);
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        String[] lines = r.out().strip().split("\n");
        assertThat(lines[0].split("\\s+")).containsExactly("frame", "src", "src_port", "mid", "token");
        assertThat(lines[1]).matches("[- ]+");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 2; i < lines.length - 1; i++) {
            rows.add(List.of(lines[i].split("\\s+")));
        }
        assertThat(rows).isEqualTo(tsharkCoap());
        assertThat(lines[lines.length - 1]).isEqualTo("(5 rows)");
    }

    @Test
    void query_csv_quotes_fields_with_commas_and_table_shows_null() {
        Result csv = run("query", capture.toString(),
                "SELECT payload_text, payload_length, uri_host FROM coap_messages WHERE frame = 3", "--format", "csv");
        assertThat(csv.out().strip().split("\n")).containsExactly("payload_text,payload_length,uri_host", "\"21,5\",4,");
        Result table = run("query", capture.toString(), "SELECT uri_host FROM coap_messages WHERE frame = 3");
        assertThat(table.out().strip().split("\n")).containsExactly("uri_host", "--------", "NULL", "(1 row)");
    }

    @Test
    void sql_reading_files_needs_allow_files() throws Exception {
        Path csv = tmp.resolve("some.csv");
        Files.writeString(csv, "x\n42\n");
        String sql = "SELECT * FROM read_csv('" + csv.toAbsolutePath() + "')";
        Result denied = run("query", capture.toString(), sql, "--format", "csv");
        assertThat(denied.code()).isEqualTo(ExitCodes.SQL);
        assertThat(denied.out()).doesNotContain("42");
        assertThat(denied.errLines()).hasSize(1);
        Result allowed = run("query", capture.toString(), sql, "--format", "csv", "--allow-files");
        assertThat(allowed.code()).isEqualTo(ExitCodes.OK);
        assertThat(allowed.out().strip().split("\n")).containsExactly("x", "42");
        // and SQL cannot turn the access back on
        Result reenable = run("query", capture.toString(), "SET enable_external_access = true");
        assertThat(reenable.code()).isEqualTo(ExitCodes.SQL);
    }

    @Test
    void sql_syntax_error_is_exit_4_with_one_line() {
        Result r = run("query", capture.toString(), "SELEC frame FROM frames");
        assertThat(r.code()).isEqualTo(ExitCodes.SQL);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).contains("syntax error").contains("SELEC"));
        Result unknown = run("query", capture.toString(), "SELECT nope FROM frames");
        assertThat(unknown.code()).isEqualTo(ExitCodes.SQL);
        assertThat(unknown.errLines()).singleElement().satisfies(l -> assertThat(l).contains("nope"));
    }

    @Test
    void keep_secrets_keeps_the_mqtt_password() {
        String sql = "SELECT password_present, password_length, password, username FROM mqtt_messages WHERE type = 'CONNECT'";
        assertThat(run("query", capture.toString(), sql, "--format", "csv").out().strip().split("\n"))
                .containsExactly("password_present,password_length,password,username", "true,6,,u");
        assertThat(run("query", capture.toString(), sql, "--format", "csv", "--keep-secrets").out().strip().split("\n"))
                .containsExactly("password_present,password_length,password,username", "true,6,s3cret,u");
    }

    @Test
    void index_then_query_run_and_export_answer_as_the_capture_does() throws Exception {
        Path db = tmp.resolve("idx.duckdb");
        Result idx = run("index", capture.toString(), "--db", db.toString());
        assertThat(idx.code()).isEqualTo(ExitCodes.OK);
        byte[] head = Files.readAllBytes(db);
        assertThat(new String(head, 8, 4, StandardCharsets.US_ASCII)).isEqualTo("DUCK");

        for (org.iotpcap.table.TableDeclaration t : org.iotpcap.semantic.tables.Tables.ALL) {
            String sql = "SELECT * FROM " + t.name() + " ORDER BY ALL";
            Result a = run("query", capture.toString(), sql, "--format", "json");
            Result b = run("query", db.toString(), sql, "--format", "json");
            assertThat(b.code()).isEqualTo(ExitCodes.OK);
            assertThat(b.out()).as(t.name()).isEqualTo(a.out());
        }
        Result allCapture = run("run", "all", capture.toString(), "--format", "json");
        Result allIndex = run("run", "all", db.toString(), "--format", "json");
        assertThat(allIndex.out()).isEqualTo(allCapture.out());
        Result one = run("run", "coap-unsuccessful-puts", db.toString(), "--format", "json");
        assertThat(json(one.out()).get("answer").asLong()).isEqualTo(1L);

        Path e1 = tmp.resolve("export-capture");
        Path e2 = tmp.resolve("export-index");
        assertThat(run("export", capture.toString(), "--to", e1.toString(), "--format", "csv").code()).isZero();
        assertThat(run("export", db.toString(), "--to", e2.toString(), "--format", "csv").code()).isZero();
        for (org.iotpcap.table.TableDeclaration t : org.iotpcap.semantic.tables.Tables.ALL) {
            assertThat(sortedLines(e2.resolve(t.name() + ".csv"))).as(t.name())
                    .isEqualTo(sortedLines(e1.resolve(t.name() + ".csv")));
        }

        Result again = run("index", capture.toString(), "--db", db.toString());
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.errLines()).singleElement().satisfies(l -> assertThat(l).contains("--force"));
        assertThat(Files.readAllBytes(db)).isEqualTo(head);
        assertThat(run("index", capture.toString(), "--db", db.toString(), "--force").code()).isEqualTo(ExitCodes.OK);
        assertThat(run("query", db.toString(), "SELECT count(*) AS n FROM coap_messages", "--format", "csv").out().strip())
                .isEqualTo("n\n5");
    }

    private static List<String> sortedLines(Path p) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(p));
        String header = lines.remove(0);
        lines.sort(null);
        lines.add(0, header);
        return lines;
    }

    @Test
    void export_writes_one_file_per_table() throws Exception {
        Path parquet = tmp.resolve("parquet");
        Result r = run("export", capture.toString(), "--to", parquet.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.OK);
        List<String> expected = org.iotpcap.semantic.tables.Tables.ALL.stream().map(t -> t.name() + ".parquet").sorted().toList();
        assertThat(list(parquet)).isEqualTo(expected);
        byte[] f = Files.readAllBytes(parquet.resolve("coap_messages.parquet"));
        assertThat(new String(f, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1"); // Parquet magic, both ends
        assertThat(new String(f, f.length - 4, 4, StandardCharsets.US_ASCII)).isEqualTo("PAR1");

        Path json = tmp.resolve("json");
        assertThat(run("export", capture.toString(), "--to", json.toString(), "--format", "json",
                "--tables", "coap_messages,names").code()).isEqualTo(ExitCodes.OK);
        assertThat(list(json)).containsExactly("coap_messages.json", "names.json");
        JsonNode names = json(Files.readString(json.resolve("names.json")));
        List<String> pairs = names.valueStream().map(m -> m.get("name").asText() + "=" + m.get("address").asText()).sorted().toList();
        assertThat(pairs).containsExactly("broker.hivemq.com=10.0.0.100", "coap.me=10.0.0.2");
        assertThat(json(Files.readString(json.resolve("coap_messages.json")))).hasSize(5);

        Path csv = tmp.resolve("csv");
        assertThat(run("export", capture.toString(), "--to", csv.toString(), "--format", "csv", "--tables", "coap_exchanges")
                .code()).isEqualTo(ExitCodes.OK);
        List<String> lines = Files.readAllLines(csv.resolve("coap_exchanges.csv"));
        assertThat(lines.get(0)).startsWith("client,client_port,server,server_port,mid,token,");
        assertThat(lines).hasSize(1 + 3); // the PUT (once, retransmitted), the CON GET, the NON GET

        Path bad = tmp.resolve("bad");
        Result unknown = run("export", capture.toString(), "--to", bad.toString(), "--tables", "coap_messages,nosuch");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).singleElement().satisfies(l -> assertThat(l).contains("nosuch"));
        assertThat(Files.exists(bad.resolve("coap_messages.parquet"))).isFalse();
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The seven analyses and their parameter defaults, from SEED-QUESTIONS.md's table. */
    private static final Map<String, Map<String, String>> SEVEN = new LinkedHashMap<>();

    static {
        SEVEN.put("coap-unsuccessful-puts", ordered("server", "local", "port", "5683"));
        SEVEN.put("coap-equal-con-non-gets", ordered("server", "coap.me", "port", "5683"));
        SEVEN.put("mqtt-wildcard-subscribers", ordered("broker", "broker.hivemq.com", "wildcard", "#"));
        SEVEN.put("mqtt-will-first-level", ordered("level", "university"));
        SEVEN.put("mqtt-will-receivers-exact", ordered("broker", "any"));
        SEVEN.put("mqtt-retained-qos0-publishes", ordered("broker", "test.mosquitto.org", "qos", "0", "retain", "true"));
        SEVEN.put("mqttsn-to-local-broker", ordered("broker", "local", "port", "1885"));
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void analyses_lists_the_seven_with_parameters_and_defaults() {
        Result json = run("analyses", "--format", "json");
        assertThat(json.code()).isEqualTo(ExitCodes.OK);
        Map<String, Map<String, String>> listed = new LinkedHashMap<>();
        for (JsonNode a : json(json.out())) {
            Map<String, String> params = new LinkedHashMap<>();
            for (JsonNode p : a.get("parameters")) {
                params.put(p.get("name").asText(), p.get("default").asText());
            }
            listed.put(a.get("name").asText(), params);
            assertThat(a.get("question").asText()).as("question of %s", a.get("name")).endsWith("?");
        }
        assertThat(listed).containsAllEntriesOf(SEVEN); // the seven seed analyses, among the others (docs/analyses.md)
        SEVEN.forEach((k, v) -> assertThat(listed.get(k).keySet()).containsExactlyElementsOf(v.keySet()));

        Result text = run("analyses");
        assertThat(text.code()).isEqualTo(ExitCodes.OK);
        List<String> lines = List.of(text.out().split("\n"));
        for (Map.Entry<String, Map<String, String>> a : SEVEN.entrySet()) {
            int at = lines.indexOf(a.getKey());
            assertThat(at).as(a.getKey()).isGreaterThanOrEqualTo(0);
            for (Map.Entry<String, String> p : a.getValue().entrySet()) {
                String set = "--set " + p.getKey() + "=" + p.getValue() + " ";
                assertThat(lines.subList(at, lines.size()).stream().takeWhile(l -> !l.isEmpty()))
                        .as("%s %s", a.getKey(), set).anyMatch(l -> l.strip().startsWith(set.strip() + " "));
            }
        }
    }

    @Test
    void run_all_prints_the_seven() {
        Result text = run("run", "all", capture.toString());
        assertThat(text.code()).isEqualTo(ExitCodes.OK);
        for (String name : SEVEN.keySet()) {
            assertThat(text.out()).contains(name);
        }
        Result json = run("run", "all", capture.toString(), "--format", "json");
        Map<String, Object> answers = new LinkedHashMap<>();
        for (JsonNode m : json(json.out())) {
            answers.put(m.get("analysis").asText(), m.has("error") ? "error" : m.get("answer").asLong());
        }
        // From the packets written above and the definitions of SEED-QUESTIONS.md:
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("coap-unsuccessful-puts", 1L);        // the PUT to 127.0.0.1 answered 4.04, retransmitted once
        expected.put("coap-equal-con-non-gets", 1L);       // /time on coap.me: one CON GET, one NON GET
        expected.put("mqtt-wildcard-subscribers", 1L);     // "cli" subscribed a/# at broker.hivemq.com
        expected.put("mqtt-will-first-level", 0L);
        expected.put("mqtt-will-receivers-exact", 0L);
        expected.put("mqtt-retained-qos0-publishes", "error"); // test.mosquitto.org is never answered
        expected.put("mqttsn-to-local-broker", 0L);
        assertThat(answers).containsAllEntriesOf(expected); // the other analyses are checked by CookbookTsharkTest
    }

    @Test
    void run_usage_errors() {
        Result unknown = run("run", "coap-unsucessful-puts", capture.toString());
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.errLines()).singleElement()
                .satisfies(l -> assertThat(l).contains("did you mean 'coap-unsuccessful-puts'"));
        for (String[] bad : List.of(
                new String[] {"coap-unsuccessful-puts", "srv=local"},
                new String[] {"coap-unsuccessful-puts", "port=abc"},
                new String[] {"coap-unsuccessful-puts", "server=1.2.3"},
                new String[] {"coap-unsuccessful-puts", "noequals"},
                new String[] {"mqtt-wildcard-subscribers", "wildcard=x"},
                new String[] {"mqtt-retained-qos0-publishes", "retain=maybe"})) {
            Result r = run("run", bad[0], capture.toString(), "--set", bad[1]);
            assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(String.join(" ", bad)).hasSize(1);
            assertThat(r.out()).isEmpty();
        }
        Result unresolved = run("run", "mqtt-retained-qos0-publishes", capture.toString());
        assertThat(unresolved.code()).isEqualTo(ExitCodes.UNRESOLVED_NAME);
        assertThat(unresolved.errLines()).singleElement().satisfies(l -> assertThat(l).contains("test.mosquitto.org"));
        Result byAddress = run("run", "mqtt-wildcard-subscribers", capture.toString(), "--set", "broker=10.0.0.100",
                "--format", "json");
        assertThat(json(byAddress.out()).get("answer").asLong()).isEqualTo(1L);
    }

    @Test
    void input_errors() {
        for (String binding : List.of("udp.port==abc:coap", "tcp.port==1883:nosuch", "nonsense")) {
            Result r = run("query", capture.toString(), "SELECT 1", "--decode", binding);
            assertThat(r.code()).as(binding).isEqualTo(ExitCodes.USAGE);
            assertThat(r.errLines()).as(binding).hasSize(1);
        }
        Path missing = tmp.resolve("no-such.pcap");
        for (String[] args : List.of(new String[] {"query", missing.toString(), "SELECT 1"},
                new String[] {"run", "all", missing.toString()},
                new String[] {"export", missing.toString(), "--to", tmp.resolve("x").toString()},
                new String[] {"index", missing.toString(), "--db", tmp.resolve("x.duckdb").toString()})) {
            Result r = run(args);
            assertThat(r.code()).as(args[0]).isEqualTo(ExitCodes.INPUT);
            assertThat(r.errLines()).as(args[0]).singleElement().satisfies(l -> assertThat(l).contains("no-such.pcap"));
        }
        assertThat(Files.exists(tmp.resolve("x.duckdb"))).isFalse();
        Result notCapture = run("query", tmp.resolve("some-text").toString(), "SELECT 1");
        assertThat(notCapture.code()).isEqualTo(ExitCodes.INPUT);
    }
}
