package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.iotpcap.testing.TestJson;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The report in a real browser: headless Chromium (Debian's {@code chromium}, installed by .ci/run) loads the
 * report of every fixture from a file; the page's own check ({@code #self-check}, written by report.js after it
 * has drawn everything) must show no script or console error, no Content-Security-Policy violation and no
 * resource loaded besides the file itself (Resource Timing entries), and the numbers the page shows (frames,
 * bytes, malformed records by reason, messages per protocol, every analysis's answer and display filter) must
 * equal {@code info --format json} and {@code run all --format json}. The page has no element that loads
 * anything ({@code src} or {@code href} to a resource). Without Chromium the test is skipped, except on CI
 * ({@code CI=true}), where .ci/run has installed it and its absence fails. Screenshots of each section of the sample's report are
 * written under target/report-screenshots for a person to look at, and the report of every fixture under
 * target/reports.
 */
class ReportBrowserTest {
    private static final Path REPORTS = Path.of("target", "reports");
    private static final Path SHOTS = Path.of("target", "report-screenshots");
    private static final List<String> SECTIONS = List.of("overview", "traffic", "mqtt", "coap", "dns", "analyses");

    static Stream<TestCapture> fixtures() {
        return TestCaptures.fixtures().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void reportShowsWhatRunAndInfoSayWithoutErrorsOrRequests(TestCapture tc) throws Exception {
        String chromium = chromium();
        // .ci/run installs it, so on CI a missing browser fails the test; elsewhere it is skipped with the reason
        assertThat(chromium != null || !"true".equals(System.getenv("CI"))).as("chromium on CI").isTrue();
        Assumptions.assumeTrue(chromium != null, "chromium not installed (apt-get install chromium; .ci/run installs it)");
        Files.createDirectories(REPORTS);
        Path html = REPORTS.resolve(tc + ".html").toAbsolutePath();
        Result report = run(withDecode(tc, "report", tc.path().toString(), "-o", html.toString()));
        assertThat(report.code).as(report.err).isIn(0, 1);
        Map<String, Object> info = TestJson.object(TestJson.parse(run(withDecode(tc, "info", tc.path().toString(),
                "--format", "json")).out));
        List<Object> all = TestJson.array(TestJson.parse(run(withDecode(tc, "run", "all", tc.path().toString(),
                "--format", "json")).out));

        String page = Files.readString(html);
        assertThat(page).contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';");
        // the markup outside the inline scripts' text (the chart library's code mentions tags in its strings)
        String markup = Pattern.compile("(<script[^>]*>).*?</script>", Pattern.DOTALL).matcher(page).replaceAll("$1</script>");
        assertThat(markup).contains("<script>", "<style>");
        assertThat(Pattern.compile("<(script|link|img|iframe|object|embed|source|video|audio)\\b[^>]*\\s(src|href)\\s*=",
                Pattern.CASE_INSENSITIVE).matcher(markup).find()).as("an element that loads a resource").isFalse();

        Map<String, Object> check = selfCheck(chromium, html);
        assertThat(TestJson.array(check.get("errors"))).as("errors on the page").isEmpty();
        assertThat(TestJson.array(check.get("violations"))).as("CSP violations").isEmpty();
        assertThat(TestJson.array(check.get("resources"))).as("resources loaded besides the page").isEmpty();
        assertThat(TestJson.array(check.get("sections"))).containsExactlyElementsOf(SECTIONS);
        assertThat(((Number) check.get("canvases")).intValue()).as("charts drawn: protocol mix, traffic, CoAP response times at least").isGreaterThanOrEqualTo(3);

        assertThat(check.get("frames")).isEqualTo(String.valueOf(info.get("frames")));
        assertThat(check.get("bytes")).isEqualTo(String.valueOf(info.get("bytes")));
        Map<String, Object> malformed = TestJson.object(info.get("malformed"));
        assertThat(check.get("malformed")).isEqualTo(String.valueOf(malformed.get("total")));
        assertThat(texts(TestJson.object(check.get("malformed_by_reason"))))
                .isEqualTo(texts(TestJson.object(malformed.get("by_reason"))));
        Map<String, String> messages = texts(TestJson.object(check.get("messages")));
        Map<String, String> infoMessages = texts(TestJson.object(info.get("messages")));
        for (String protocol : messages.keySet()) {
            assertThat(messages.get(protocol)).as(protocol + " messages")
                    .isEqualTo(infoMessages.getOrDefault(protocol, "0"));
        }

        Map<String, Object> answers = TestJson.object(check.get("answers"));
        assertThat(answers).hasSize(all.size());
        for (Object o : all) {
            Map<String, Object> a = TestJson.object(o);
            Map<String, Object> shown = TestJson.object(answers.get((String) a.get("analysis")));
            assertThat(shown).as((String) a.get("analysis")).isNotNull();
            if (a.containsKey("error")) {
                assertThat(shown.get("answer")).isEqualTo("n/a");
                continue;
            }
            assertThat(shown.get("answer")).as(a.get("analysis") + " answer").isEqualTo(String.valueOf(a.get("answer")));
            assertThat(shown.get("filter")).as(a.get("analysis") + " filter").isEqualTo(a.get("display_filter"));
            assertThat(((Number) shown.get("evidence_rows")).intValue()).as(a.get("analysis") + " evidence rows")
                    .isEqualTo(Math.min(TestJson.array(a.get("evidence")).size(), org.iotpcap.report.Report.ROWS));
        }

        if (tc.toString().equals("sample.pcapng")) {
            Files.createDirectories(SHOTS);
            for (String section : SECTIONS) {
                Path shot = SHOTS.resolve("sample-" + section + ".png").toAbsolutePath();
                Files.deleteIfExists(shot);
                chrome(chromium, List.of("--window-size=1400,2400", "--hide-scrollbars", "--screenshot=" + shot),
                        html.toUri() + "#only=" + section);
                assertThat(shot).as("screenshot of " + section).isNotEmptyFile();
            }
        }
    }

    /** Runs the page in Chromium and returns what its script wrote into #self-check. */
    private static Map<String, Object> selfCheck(String chromium, Path html) throws Exception {
        String dom = chrome(chromium, List.of("--dump-dom"), html.toUri().toString());
        Matcher m = Pattern.compile("<pre id=\"self-check\"[^>]*>(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(m.find()).as("the page's self-check in the DOM Chromium dumped").isTrue();
        String json = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        assertThat(json).as("the page script ran to its end").isNotBlank();
        return TestJson.object(TestJson.parse(json));
    }

    private static String chrome(String chromium, List<String> extra, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("iotpcap-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-extensions", "--user-data-dir=" + profile, "--virtual-time-budget=10000"));
        cmd.addAll(extra);
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(p.exitValue()).as("chromium exit code").isZero();
        try (Stream<Path> s = Files.walk(profile)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    private static Map<String, String> texts(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return new java.util.TreeMap<>(out);
    }

    private static String[] withDecode(TestCapture tc, String... args) {
        List<String> out = new ArrayList<>(List.of(args));
        for (String d : tc.iotpcapDecode()) {
            out.add("--decode");
            out.add(d);
        }
        return out.toArray(String[]::new);
    }

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }
}
