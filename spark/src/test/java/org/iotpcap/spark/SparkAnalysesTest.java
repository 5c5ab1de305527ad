package org.iotpcap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.cli.Main;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The named analyses on Spark give what {@code iotpcap run} gives on the same files: {@code iotpcap-spark run}
 * and {@code iotpcap run}, both in this JVM (Spark in local mode, two executor threads, several partitions),
 * their outputs compared whole: answers, resolved parameters, evidence rows in order, display filters.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkAnalysesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("fixtures", "captures", "sample.pcapng");
    private static final Path RING = Path.of("fixtures", "ring");

    private SparkSession spark;

    @BeforeAll
    void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    record Output(int code, String out, String err) {}

    private static Output cli(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        return new Output(code, out.toString(), err.toString());
    }

    private static Output onSpark(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> withMaster = new ArrayList<>(args);
        withMaster.addAll(List.of("--master", "local[2]"));
        int code = Main.execute(IotpcapSpark.commandLine(new SparkEngine()), withMaster.toArray(new String[0]),
                new PrintWriter(out), new PrintWriter(err));
        return new Output(code, out.toString(), err.toString());
    }

    /** Runs both; returns the (equal) output. */
    private static String assertSameOutput(List<String> args) {
        Output expected = cli(args);
        assertThat(expected.code()).as(expected.err()).isZero();
        Output got = onSpark(args);
        assertThat(got.err()).isEmpty();
        assertThat(got.code()).isZero();
        assertThat(got.out()).as("iotpcap-spark %s", args).isEqualTo(expected.out());
        return got.out();
    }

    @Test
    void runAllOnTheSampleEqualsRunInTextAndJson() throws Exception {
        assertSameOutput(List.of("run", "all", SAMPLE.toString()));
        JsonNode results = JSON.readTree(assertSameOutput(List.of("run", "all", SAMPLE.toString(), "--format", "json")));
        long nonZero = 0;
        for (JsonNode r : results) {
            nonZero += r.path("answer").asLong() > 0 ? 1 : 0;
        }
        assertThat(nonZero).as("analyses with a non-zero answer on the sample").isGreaterThan(6);
    }

    @Test
    void oneAnalysisWithParametersAndEvidenceEqualsRun() {
        assertSameOutput(List.of("run", "coap-unsuccessful-puts", SAMPLE.toString()));
        assertSameOutput(List.of("run", "mqtt-wildcard-receivers", SAMPLE.toString(), "--set", "wildcard=+",
                "--set", "topic=metaverse/facility1/area0/light", "--format", "json"));
        assertSameOutput(List.of("run", "mqtt-retained-qos0-publishes", SAMPLE.toString(), "--set",
                "broker=any", "--limit", "2"));
    }

    /** A time window: the same conditions narrow Spark's views as DuckDB's (those via frames included). */
    @Test
    void timeWindowEqualsRun() throws Exception {
        JsonNode info = JSON.readTree(cli(List.of("info", SAMPLE.toString(), "--format", "json")).out());
        String first = info.path("first_time").asText();
        String last = info.path("last_time").asText();
        assertThat(first).isNotEmpty();
        java.time.Instant a = java.time.Instant.parse(first);
        java.time.Instant b = java.time.Instant.parse(last);
        String middle = a.plus(java.time.Duration.between(a, b).dividedBy(2)).toString();
        assertSameOutput(List.of("run", "all", SAMPLE.toString(), "--from", middle, "--format", "json"));
        assertSameOutput(List.of("run", "all", SAMPLE.toString(), "--to", middle, "--format", "json"));
    }

    /**
     * Every fixture, every shared capture and the ring buffer's files as one dataset of independent captures
     * (one partition each), stream columns included: Spark numbers TCP streams and UDP flows on from file to file
     * as the CLI does.
     */
    @Test
    void everyCaptureAsOneDatasetEqualsRun() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "all", "--format", "json"));
        Set<String> decode = new LinkedHashSet<>();
        for (TestCaptures.TestCapture c : TestCaptures.all()) {
            args.add(c.path().toString());
            decode.addAll(c.iotpcapDecode());
        }
        try (var parts = Files.list(RING.resolve("parts"))) {
            parts.map(Path::toString).sorted().forEach(args::add);
        }
        for (String d : decode) {
            args.addAll(List.of("--decode", d));
        }
        Output expected = cli(args);
        assertThat(expected.code()).as(expected.err()).isZero();
        Output got = onSpark(args);
        assertThat(got.code()).as(got.err()).isZero();
        JsonNode want = JSON.readTree(expected.out());
        JsonNode have = JSON.readTree(got.out());
        assertThat(have.size()).isEqualTo(want.size()).isGreaterThan(10);
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            JsonNode h = have.get(i);
            String name = w.path("analysis").asText();
            for (String field : List.of("analysis", "parameters", "answer", "evidence_total", "display_filter")) {
                assertThat(h.path(field)).as("%s: %s", name, field).isEqualTo(w.path(field));
            }
            // as sets of rows: rows the analysis's ORDER BY leaves tied (two QoS flows of one frame) have no order
            assertThat(rows(h)).as("%s: evidence", name).isEqualTo(rows(w));
        }
    }

    private static List<String> rows(JsonNode result) {
        List<String> out = new ArrayList<>();
        result.path("evidence").forEach(r -> out.add(r.toString()));
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * The ring buffer dumpcap wrote with -b while real peers talked, read with --continuous on Spark (one
     * partition, never cut): every answer equals the generator's record for the whole capture, and the output
     * equals {@code iotpcap run} on the single capture the same traffic was also written to, but for the
     * capture column's name.
     */
    @Test
    void continuousRingBufferAnswersEqualTheSingleCapture() throws Exception {
        List<String> parts;
        try (var s = Files.list(RING.resolve("parts"))) {
            parts = s.map(Path::toString).sorted().toList();
        }
        List<String> args = new ArrayList<>(List.of("run", "all", "--format", "json", "--continuous"));
        args.addAll(parts);
        JsonNode got = JSON.readTree(assertSameOutput(args));
        JsonNode single = JSON.readTree(cli(List.of("run", "all", "--format", "json",
                RING.resolve("ring.pcapng").toString())).out());
        JsonNode record = JSON.readTree(RING.resolve("ring.pcapng.expected.json").toFile()).path("analyses");
        assertThat(got.size()).isEqualTo(single.size());
        int recorded = 0;
        for (int i = 0; i < got.size(); i++) {
            String name = got.get(i).path("analysis").asText();
            assertThat(got.get(i).path("answer")).as(name).isEqualTo(single.get(i).path("answer"));
            assertThat(got.get(i).path("evidence_total")).as(name).isEqualTo(single.get(i).path("evidence_total"));
            if (record.has(name)) {
                assertThat(got.get(i).path("answer").asLong()).as("%s against the record", name)
                        .isEqualTo(record.path(name).path("answer").asLong());
                recorded++;
            }
        }
        assertThat(recorded).isGreaterThan(6);
    }

    /**
     * A capture cut inside its last block: the CLI and Spark print the same warning (each under its own name) and
     * exit alike, with --strict (1) and without (0); alone, in a dataset with the whole sample (the warning found
     * by the counting job of the stream numbers), and read as a continuous set; the whole sample (no problem); a
     * capture with malformed records but no warning (records above the snap length: the malformed table's rows).
     */
    @Test
    void strictHonoursWhatTheCliHonours(@TempDir Path tmp) throws Exception {
        byte[] whole = Files.readAllBytes(SAMPLE);
        Path cut = tmp.resolve("cut.pcapng");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
        // no warning, two malformed records: both records claim more bytes than the file's snap length
        byte[] frame = org.iotpcap.testing.Packets.ethernet(0x0800, org.iotpcap.testing.Packets.ipv4("10.0.0.1",
                "10.0.0.2", org.iotpcap.testing.Packets.UDP, org.iotpcap.testing.Packets.udp(40000, 9999, new byte[60])));
        Path snap = tmp.resolve("snap.pcap");
        Files.write(snap, new org.iotpcap.testing.CaptureBytes.Pcap(java.nio.ByteOrder.LITTLE_ENDIAN,
                org.iotpcap.testing.CaptureBytes.MAGIC_MICRO, 1, 40).record(1, 0, frame).record(2, 0, frame).bytes());
        List<List<String>> cases = List.of(
                List.of("run", "mqtt-wills-delivered", cut.toString(), "--strict"),
                List.of("run", "mqtt-wills-delivered", cut.toString()),
                List.of("run", "coap-not-found", SAMPLE.toString(), cut.toString(), "--strict", "--format", "json"),
                List.of("run", "coap-not-found", SAMPLE.toString(), cut.toString(), "--continuous", "--strict"),
                List.of("run", "coap-not-found", SAMPLE.toString(), "--strict"),
                List.of("run", "coap-not-found", snap.toString(), "--strict"),
                List.of("run", "coap-not-found", snap.toString()));
        for (List<String> args : cases) {
            Output expected = cli(args);
            Output got = onSpark(args);
            assertThat(got.code()).as("%s: %s", args, got.err()).isEqualTo(expected.code());
            assertThat(got.err()).as("%s", args).isEqualTo(expected.err().replace("iotpcap: ", "iotpcap-spark: "));
            assertThat(got.out()).as("%s", args).isEqualTo(expected.out());
        }
        Output strict = cli(cases.get(0));
        assertThat(strict.code()).isEqualTo(1);
        assertThat(strict.err()).startsWith("iotpcap: warning: capture is cut short").hasLineCount(1);
        assertThat(cli(cases.get(1)).code()).isZero();
        assertThat(cli(cases.get(5)).code()).isEqualTo(1);
        assertThat(cli(cases.get(6)).code()).isZero();
    }

    /**
     * --keylog and --psk on Spark: the output of the encrypted fixtures with every key log and the pre-shared key
     * equals run's (and differs from the output without them: the keys decrypt something the analyses count).
     */
    @Test
    void keyLogAndPskEqualRun() {
        List<String> keys = new ArrayList<>(List.of("--psk", SparkTablesTest.PSK));
        for (String k : SparkTablesTest.KEY_LOGS) {
            keys.addAll(List.of("--keylog", k));
        }
        List<String> without = new ArrayList<>(List.of("run", "all", "--format", "json"));
        SparkTablesTest.TLS_PORTS.forEach(d -> without.addAll(List.of("--decode", d)));
        without.addAll(SparkTablesTest.ENCRYPTED);
        List<String> with = new ArrayList<>(without);
        with.addAll(keys);
        String withKeys = assertSameOutput(with);
        assertThat(cli(without).out()).isNotEqualTo(withKeys);
        // MqttOverWssFixtureTest's run: MQTT inside WebSocket inside TLS
        assertSameOutput(List.of("run", "mqtt-wildcard-subscribers", "fixtures/websocket/mqtt-wss.pcapng", "--keylog",
                "fixtures/websocket/mqtt-wss.keylog", "--decode", "tcp.port==9443:tls", "--format", "json", "--set",
                "broker=local", "--set", "wildcard=#"));
    }

    /**
     * Bad input gives the CLI's exit codes and messages: a missing file and a file that is not a capture (3), alone
     * and in a dataset, a key log that cannot be read and a bad pre-shared key (2, the key never printed).
     */
    @Test
    void badInputExitsAsRun() {
        Output missing = onSpark(List.of("run", "all", "fixtures/no-such.pcapng"));
        assertThat(missing.code()).as(missing.err()).isEqualTo(cli(List.of("run", "all", "fixtures/no-such.pcapng")).code())
                .isEqualTo(3);
        Output notCapture = onSpark(List.of("run", "coap-not-found", "README.md"));
        assertThat(notCapture.code()).as(notCapture.err()).isEqualTo(3);
        assertThat(notCapture.err()).contains("not a pcap or pcapng capture").hasLineCount(1);
        for (List<String> args : List.of(
                List.of("run", "all", SAMPLE.toString(), "--keylog", "fixtures/no-such.keylog"),
                List.of("run", "all", SAMPLE.toString(), "--psk", "device-1:0102zz"),
                // found by the counting job of a dataset's stream numbers, named as the CLI names it
                List.of("run", "coap-not-found", SAMPLE.toString(), "README.md"))) {
            Output expected = cli(args);
            Output got = onSpark(args);
            assertThat(expected.code()).as(expected.err()).isIn(2, 3);
            assertThat(got.code()).as(got.err()).isEqualTo(expected.code());
            assertThat(got.err()).isEqualTo(expected.err().replace("iotpcap: ", "iotpcap-spark: ")).hasLineCount(1)
                    .doesNotContain("0102zz");
        }
    }
}
