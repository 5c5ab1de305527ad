package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iotpcap.testing.TestJson;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The round trip to Wireshark: for every fixture and every analysis whose evidence names frames, the display
 * filter that {@code run --format json} returns ({@code display_filter}) selects in tshark exactly the frames
 * that {@code extract --analysis} writes: same number, and per frame the same timestamp, lengths, interface and
 * MD5 of the bytes (tshark's frame.md5_hash), read by tshark from the original with -Y and from the extract.
 */
class ExtractTsharkTest {
    private static final String[] FIELDS = {"frame.time_epoch", "frame.len", "frame.cap_len", "frame.interface_id",
        "frame.md5_hash"};
    private static final String[] FIELDS_AND_COMMENT = {"frame.time_epoch", "frame.len", "frame.cap_len",
        "frame.interface_id", "frame.md5_hash", "frame.comment"};

    static Stream<TestCapture> fixtures() {
        return TestCaptures.fixtures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyAnalysisExtractIsWhatTsharkSelects(TestCapture tc, @TempDir Path dir) {
        Tshark.assumeAvailable();
        List<String> runArgs = new ArrayList<>(List.of("run", "all", tc.path().toString(), "--format", "json"));
        decode(tc, runArgs);
        Result run = run(runArgs);
        assertThat(run.code).as(run.err).isIn(0, 1);
        int checked = 0;
        for (Object o : TestJson.array(TestJson.parse(run.out))) {
            Map<String, Object> a = TestJson.object(o);
            if (!a.containsKey("display_filter")) {
                continue; // an unresolved name: no evidence
            }
            String filter = (String) a.get("display_filter");
            List<Object> evidence = TestJson.array(a.get("evidence"));
            if (filter == null) {
                assertThat(evidence).allSatisfy(row -> assertThat(TestJson.object(row).keySet())
                        .noneMatch(k -> k.equals("frame") || k.endsWith("_frame")));
                continue;
            }
            String name = (String) a.get("analysis");
            Path out = dir.resolve(name + ".pcapng");
            List<String> args = new ArrayList<>(List.of("extract", tc.path().toString(), "--analysis", name,
                    "-w", out.toString()));
            decode(tc, args);
            Result ex = run(args);
            assertThat(ex.code).as(ex.err).isIn(0, 1);
            assertThat(ex.out).contains("display filter: " + filter);
            if (evidence.isEmpty()) {
                assertThat(filter).isEqualTo("frame.number == 0");
                assertThat(ex.out).contains(": 0 frames");
                continue;
            }
            List<String> options = new ArrayList<>(tc.tsharkOptions());
            options.addAll(List.of("-o", "frame.generate_md5_hash:TRUE", "-Y", filter));
            List<Map<String, String>> selected = pcapngView(Tshark.fields(tc.path(), options, FIELDS));
            List<Map<String, String>> extracted = Tshark.fields(out, List.of("-o", "frame.generate_md5_hash:TRUE"),
                    FIELDS_AND_COMMENT);
            assertThat(extracted).allSatisfy(c -> assertThat(c.remove("frame.comment")).startsWith("iotpcap: frame "));
            assertThat(extracted).as(name + " on " + tc + " with " + filter).isEqualTo(selected);
            assertThat(selected).as(name).isNotEmpty();
            checked++;
        }
        if (tc.toString().equals("sample.pcapng")) {
            assertThat(checked).as("analyses with evidence frames on the sample").isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void whereSelectsFramesByCondition(@TempDir Path dir) throws Exception {
        Tshark.assumeAvailable();
        Path capture = TestCaptures.FIXTURES.resolve("sample.pcapng");
        Path out = dir.resolve("mqtt.pcapng");
        Result ex = run(List.of("extract", capture.toString(), "--where", "transport = 'tcp' AND dst_port = 1883",
                "-w", out.toString()));
        assertThat(ex.code).as(ex.err).isZero();
        List<Map<String, String>> selected = Tshark.fields(capture,
                List.of("-o", "frame.generate_md5_hash:TRUE", "-Y", "tcp.dstport == 1883"), FIELDS);
        List<Map<String, String>> extracted = Tshark.fields(out, List.of("-o", "frame.generate_md5_hash:TRUE"), FIELDS);
        assertThat(selected).isNotEmpty();
        assertThat(extracted).isEqualTo(selected);
        String filter = ex.out.lines().filter(l -> l.startsWith("display filter: ")).findFirst().orElseThrow()
                .substring("display filter: ".length());
        assertThat(Tshark.fields(capture, List.of("-o", "frame.generate_md5_hash:TRUE", "-Y", filter), FIELDS))
                .isEqualTo(selected);
    }

    @Test
    void badSqlInWhereIsAnSqlError(@TempDir Path dir) {
        Result r = run(List.of("extract", TestCaptures.FIXTURES.resolve("dns.pcapng").toString(), "--where",
                "no_such_column = 1", "-w", dir.resolve("x.pcapng").toString()));
        assertThat(r.code).isEqualTo(ExitCodes.SQL);
        assertThat(r.err).startsWith("iotpcap: SQL error: ").contains("no_such_column");
    }

    @Test
    void anAggregateWithoutFramesIsAUsageError(@TempDir Path dir) {
        Result r = run(List.of("extract", TestCaptures.FIXTURES.resolve("sample.pcapng").toString(), "--analysis",
                "mqtt-topic-levels", "-w", dir.resolve("x.pcapng").toString()));
        assertThat(r.code).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err).contains("names no frames");
    }

    @Test
    void aDatabaseOrStandardInputIsAUsageError() {
        Result r = run(List.of("extract", "-", "--where", "true", "-w", "x.pcapng"));
        assertThat(r.code).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err).contains("not standard input");
    }

    /** A pcap file's frames have no interface id in tshark; in the pcapng written they are on interface 0. */
    private static List<Map<String, String>> pcapngView(List<Map<String, String>> rows) {
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            Map<String, String> m = new java.util.LinkedHashMap<>(r);
            m.replace("frame.interface_id", "", "0");
            out.add(m);
        }
        return out;
    }

    private static void decode(TestCapture tc, List<String> args) {
        for (String d : tc.iotpcapDecode()) {
            args.add("--decode");
            args.add(d);
        }
    }

    private record Result(int code, String out, String err) {}

    private static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
