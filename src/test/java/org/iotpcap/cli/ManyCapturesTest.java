package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.engine.Summary;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many captures as one dataset (issue 15, parts 1 and 4). Independent captures: every table of a set of three
 * different fixtures holds exactly the rows of the single-file runs, with the capture column and the stream
 * offsets, and every analysis answers the sum of what the fixture generator recorded for each file.
 * {@code --continuous}: the ring buffer dumpcap wrote ({@code fixtures/ring/parts}) answers exactly as the single
 * capture mergecap made of it ({@code fixtures/ring/ring.pcapng}), table by table and analysis by analysis, and
 * as the generator's record says; read as independent files it does not, since its connections run across
 * files. {@code export --partition-by} writes datasets DuckDB reads back with the same rows.
 */
class ManyCapturesTest {
    static final Path FIXTURES = Path.of("fixtures", "captures");
    static final List<String> SET = List.of(FIXTURES.resolve("coap.pcapng").toString(),
            FIXTURES.resolve("mqtt.pcapng").toString(), FIXTURES.resolve("mqttsn.pcapng").toString());
    /** The bindings every fixture is read with (as AnalysesFixtureRecordTest and fixtures/tools/verify.py). */
    static final List<String> FIXTURE_DECODE = List.of("udp.port==1886:mqttsn", "udp.port==5699:coap");
    static final Path RING = Path.of("fixtures", "ring");
    static final Path MERGED = RING.resolve("ring.pcapng");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    static Object parse(String text) throws IOException {
        return JSON.readValue(text, Object.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v) {
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object v) {
        return (List<Object>) v;
    }

    static List<String> parts() throws IOException {
        try (Stream<Path> s = Files.list(RING.resolve("parts"))) {
            List<String> p = s.map(Path::toString).filter(n -> n.endsWith(".pcapng")).sorted().toList();
            assertThat(p).as("ring parts").hasSizeGreaterThan(2);
            return p;
        }
    }

    static CaptureLoader.Options options() {
        List<Binding> b = FIXTURE_DECODE.stream().map(Binding::parse).toList();
        return new CaptureLoader.Options(new Bindings(b, Heuristics.DEFAULTS), false);
    }

    /** Every row of a table as text, sorted; {@code select} is the column list. */
    static List<String> rows(Database db, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    b.append(md.getColumnLabel(i)).append('=').append(rs.getString(i)).append('|');
                }
                out.add(b.toString());
            }
        }
        out.sort(null);
        return out;
    }

    @Test
    void independentCaptures_everyTableIsTheUnionOfTheSingleRuns_withCaptureAndStreamOffsets() throws Exception {
        assertUnionOfSingleRuns(SET, options());
    }

    /**
     * Every fixture and every shared capture (when present) as one dataset of independent captures, read with
     * the union of the bindings they need (single runs with the same bindings).
     */
    @Test
    void everyFixtureAndSharedCapture_asOneDataset_isTheUnionOfTheSingleRuns() throws Exception {
        List<String> files = new ArrayList<>();
        List<Binding> bindings = new ArrayList<>(FIXTURE_DECODE.stream().map(Binding::parse).toList());
        for (org.iotpcap.testing.TestCaptures.TestCapture c : org.iotpcap.testing.TestCaptures.all()) {
            files.add(c.path().toString());
            for (String d : c.iotpcapDecode()) {
                Binding b = Binding.parse(d);
                if (!bindings.contains(b)) {
                    bindings.add(b);
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(10);
        assertUnionOfSingleRuns(files, new CaptureLoader.Options(new Bindings(bindings, Heuristics.DEFAULTS), false));
    }

    private static void assertUnionOfSingleRuns(List<String> files, CaptureLoader.Options options) throws Exception {
        try (Database set = Database.inMemory()) {
            List<Summary> parts = CaptureLoader.load(new Pipeline.Inputs(files, false), options, set);
            assertThat(parts).hasSize(files.size());
            long tcp = 0;
            long udp = 0;
            long compared = 0;
            for (int i = 0; i < files.size(); i++) {
                String file = files.get(i);
                try (Database one = Database.inMemory()) {
                    Summary s = CaptureLoader.load(file, options, one);
                    assertThat(parts.get(i).frames).isEqualTo(s.frames);
                    for (TableDeclaration t : Tables.ALL) {
                        String replace = "";
                        if (t.name().equals("frames") || t.name().equals("tls_connections")) {
                            // TCP streams and UDP flows (DTLS associations) each continue from file to file
                            replace = " REPLACE (stream + CASE transport WHEN 'tcp' THEN " + tcp + " WHEN 'udp' THEN "
                                    + udp + " END AS stream)";
                        } else {
                            // every column that holds a TCP stream: stream, will_stream, source_stream, first_stream, ...
                            long base = tcp;
                            List<String> shifted = t.columns().stream().map(Column::name)
                                    .filter(n -> n.equals("stream") || n.endsWith("_stream"))
                                    .map(n -> n + " + " + base + " AS " + n).toList();
                            replace = shifted.isEmpty() ? "" : " REPLACE (" + String.join(", ", shifted) + ")";
                        }
                        List<String> expected = rows(one, "SELECT * EXCLUDE (capture)" + replace + " FROM " + t.name());
                        assertThat(rows(one, "SELECT DISTINCT capture FROM " + t.name()))
                                .as(t.name()).allMatch(r -> r.equals("capture=" + file + "|"));
                        List<String> actual = rows(set, "SELECT * EXCLUDE (capture) FROM " + t.name()
                                + " WHERE capture = '" + file.replace("'", "''") + "'");
                        if (t.name().equals("malformed")) {
                            // a detail sentence names the TCP stream (tcp.stream N, tcp#N), which the dataset numbers with the offset
                            long offset = tcp;
                            expected = expected.stream().map(r -> shiftStreamInDetail(r, offset)).toList();
                        }
                        assertThat(actual).as(t.name() + " of " + file).isEqualTo(expected);
                        compared += expected.size();
                    }
                    tcp += s.tcpConnections;
                    udp += s.udpFlows;
                }
            }
            assertThat(compared).isGreaterThan(1000);
            // stream numbers are unique across the dataset
            assertThat(rows(set, "SELECT count(*) - count(DISTINCT stream) AS dup FROM tcp_connections"))
                    .containsExactly("dup=0|");
            assertThat(rows(set, "SELECT count(*) AS n FROM tcp_connections")).containsExactly("n=" + tcp + "|");
        }
    }

    private static String shiftStreamInDetail(String row, long offset) {
        if (offset == 0) {
            return row;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(tcp\\.stream |tcp#)(\\d+)").matcher(row);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, m.group(1) + (Long.parseLong(m.group(2)) + offset));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The generator's recorded answer of each analysis with its default parameters, per file. */
    static Map<String, Object> recordedAnswers(String capture) throws IOException {
        Map<String, Object> rec = object(parse(Files.readString(Path.of(capture + ".expected.json"))));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(rec.get("analyses")).entrySet()) {
            Map<String, Object> a = object(e.getValue());
            out.put(e.getKey(), a.get("answer"));
            out.put(e.getKey() + " parameters", object(a.get("parameters")));
        }
        return out;
    }

    static CliErrorsTest.Run run(String name, List<String> inputs, Map<String, Object> params, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", name));
        args.addAll(inputs);
        args.addAll(List.of("--format", "json"));
        for (String d : FIXTURE_DECODE) {
            args.addAll(List.of("--decode", d));
        }
        params.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        args.addAll(List.of(extra));
        return CliErrorsTest.run(args.toArray(String[]::new));
    }

    @Test
    void independentCaptures_everyRecordedAnswerAddsUp() throws Exception {
        Set<String> names = new LinkedHashSet<>();
        List<Map<String, Object>> records = new ArrayList<>();
        for (String f : SET) {
            Map<String, Object> r = recordedAnswers(f);
            records.add(r);
            r.keySet().stream().filter(k -> !k.endsWith(" parameters")).forEach(names::add);
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(7);
        for (String name : names) {
            long sum = 0;
            boolean any = false;
            Map<String, Object> params = null;
            for (Map<String, Object> r : records) {
                if (r.get(name) instanceof Number n) {
                    sum += n.longValue();
                    any = true;
                }
                if (r.get(name + " parameters") != null) {
                    params = object(r.get(name + " parameters"));
                }
            }
            CliErrorsTest.Run run = run(name, SET, params);
            if (!any) {
                assertThat(run.code()).as(name + ": " + run.err()).isEqualTo(ExitCodes.UNRESOLVED_NAME);
                continue;
            }
            assertThat(run.code()).as(name + ": " + run.err()).isEqualTo(ExitCodes.OK);
            Map<String, Object> result = object(parse(run.out().strip()));
            assertThat(((Number) result.get("answer")).longValue()).as(name + " " + params).isEqualTo(sum);
        }
    }

    @Test
    void continuous_ringBufferTablesEqualTheMergedCapture() throws Exception {
        List<String> parts = parts();
        try (Database ring = Database.inMemory(); Database merged = Database.inMemory()) {
            List<Summary> s = CaptureLoader.load(new Pipeline.Inputs(parts, true), options(), ring);
            assertThat(s).hasSize(1);
            CaptureLoader.load(MERGED.toString(), options(), merged);
            long compared = 0;
            for (TableDeclaration t : Tables.ALL) {
                List<String> expected = rows(merged, "SELECT * EXCLUDE (capture) FROM " + t.name());
                List<String> actual = rows(ring, "SELECT * EXCLUDE (capture) FROM " + t.name());
                assertThat(actual).as(t.name()).isEqualTo(expected);
                compared += expected.size();
            }
            assertThat(compared).isGreaterThan(150);
            assertThat(rows(ring, "SELECT DISTINCT capture FROM frames")).containsExactly("capture=" + parts.get(0) + "|");
        }
    }

    /**
     * Files with different interfaces (Linux SLL2 "any"; Ethernet lo + pub0, twice) read with --continuous give
     * what mergecap writes of them, interface numbers included; skipped without mergecap (wireshark-common).
     */
    @Test
    void continuous_differentInterfaces_equalMergecapsOutput(@TempDir Path tmp) throws Exception {
        List<String> files = List.of(FIXTURES.resolve("sll2-any.pcapng").toString(),
                FIXTURES.resolve("coap.pcapng").toString(), FIXTURES.resolve("mqtt.pcapng").toString());
        Path merged = tmp.resolve("merged.pcapng");
        List<String> cmd = new ArrayList<>(List.of("mergecap", "-w", merged.toString()));
        cmd.addAll(files);
        int code;
        try {
            code = new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor();
        } catch (IOException e) {
            code = -1;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(code == 0, "mergecap not available");
        try (Database ring = Database.inMemory(); Database one = Database.inMemory()) {
            CaptureLoader.load(new Pipeline.Inputs(files, true), options(), ring);
            CaptureLoader.load(merged.toString(), options(), one);
            for (TableDeclaration t : Tables.ALL) {
                assertThat(rows(ring, "SELECT * EXCLUDE (capture) FROM " + t.name())).as(t.name())
                        .isEqualTo(rows(one, "SELECT * EXCLUDE (capture) FROM " + t.name()));
            }
            assertThat(rows(ring, "SELECT count(DISTINCT interface) AS n FROM frames")).containsExactly("n=5|");
        }
    }

    @Test
    void continuous_ringBufferAnswersEqualTheMergedCaptureAndTheRecord() throws Exception {
        List<String> parts = parts();
        Map<String, Object> recorded = recordedAnswers(MERGED.toString());
        int checked = 0;
        for (Map.Entry<String, Object> e : recorded.entrySet()) {
            if (e.getKey().endsWith(" parameters")) {
                continue;
            }
            String name = e.getKey();
            Map<String, Object> params = object(recorded.get(name + " parameters"));
            CliErrorsTest.Run single = run(name, List.of(MERGED.toString()), params);
            CliErrorsTest.Run ring = run(name, parts, params, "--continuous");
            assertThat(ring.code()).as(name + ring.err()).isEqualTo(single.code());
            if (e.getValue() == null) {
                assertThat(ring.code()).as(name).isEqualTo(ExitCodes.UNRESOLVED_NAME);
                continue;
            }
            Map<String, Object> a = object(parse(ring.out().strip()));
            Map<String, Object> b = object(parse(single.out().strip()));
            assertThat(a.get("answer")).as(name).isEqualTo(e.getValue()).isEqualTo(b.get("answer"));
            // the evidence rows too, but for the capture each names
            assertThat(ring.out().replace(parts.get(0), "CAPTURE")).as(name)
                    .isEqualTo(single.out().replace(MERGED.toString(), "CAPTURE"));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(4);
        // and every analysis of the catalog with its defaults, the recorded ones and the others
        List<String> all = new ArrayList<>(List.of("run", "all", "--format", "json", "--continuous"));
        all.addAll(parts);
        CliErrorsTest.Run a = CliErrorsTest.run(all.toArray(String[]::new));
        CliErrorsTest.Run b = CliErrorsTest.run("run", "all", "--format", "json", MERGED.toString());
        assertThat(a.out().replace(parts.get(0), "CAPTURE")).contains("mqtt-wills-delivered")
                .isEqualTo(b.out().replace(MERGED.toString(), "CAPTURE"));
        // read as independent captures, the will whose connection spans files is not matched to its delivery
        Map<String, Object> p = object(recorded.get("mqtt-will-receivers-exact parameters"));
        assertThat(recorded.get("mqtt-will-receivers-exact")).isEqualTo(1L);
        CliErrorsTest.Run apart = run("mqtt-will-receivers-exact", parts, p);
        assertThat(object(parse(apart.out().strip())).get("answer")).isEqualTo(0L);
    }

    @Test
    void ringParts_cutConnectionsAndExchanges() throws Exception {
        List<String> parts = parts();
        try (Database ring = Database.inMemory()) {
            List<Summary> each = CaptureLoader.load(new Pipeline.Inputs(parts, false), options(), ring);
            List<Long> lastFrame = new ArrayList<>();
            long frames = 0;
            for (Summary s : each) {
                frames += s.frames;
                lastFrame.add(frames);
            }
            try (Database merged = Database.inMemory()) {
                CaptureLoader.load(MERGED.toString(), options(), merged);
                String part = "CASE " + String.join(" ", lastFrame.stream().map(f -> "WHEN %s <= " + f + " THEN " + lastFrame.indexOf(f)).toList()) + " END";
                assertThat(rows(merged, "SELECT count(*) AS n FROM tcp_connections WHERE "
                        + part.formatted(repeat("first_frame", lastFrame.size())) + " <> "
                        + part.formatted(repeat("last_frame", lastFrame.size())))).doesNotContain("n=0|");
                assertThat(rows(merged, "SELECT count(*) AS n FROM coap_exchanges WHERE "
                        + part.formatted(repeat("first_frame", lastFrame.size())) + " <> "
                        + part.formatted(repeat("response_frame", lastFrame.size())))).doesNotContain("n=0|");
            }
        }
    }

    private static Object[] repeat(String s, int n) {
        Object[] a = new Object[n];
        java.util.Arrays.fill(a, s);
        return a;
    }

    @Test
    void export_partitionedByCaptureAndByDate_readsBackTheSameRows(@TempDir Path tmp) throws Exception {
        Path db = tmp.resolve("set.duckdb");
        List<String> index = new ArrayList<>(List.of("index"));
        index.addAll(SET);
        index.addAll(List.of("--db", db.toString()));
        assertThat(CliErrorsTest.run(index.toArray(String[]::new)).code()).isEqualTo(ExitCodes.OK);
        for (String by : List.of("capture", "date")) {
            Path out = tmp.resolve(by);
            CliErrorsTest.Run r = CliErrorsTest.run("export", db.toString(), "--to", out.toString(), "--partition-by", by);
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
            try (Database d = Database.openIndex(db)) {
                int tables = 0;
                for (TableDeclaration t : Tables.ALL) {
                    long n = Long.parseLong(rows(d, "SELECT count(*) AS n FROM " + t.name()).get(0).replaceAll("\\D", ""));
                    if (n == 0) {
                        continue;
                    }
                    String key = by.equals("date") && ExportCommand.timeColumn(t.name()) != null ? "date" : "capture";
                    assertThat(out.resolve(t.name())).isDirectoryContaining(p -> p.getFileName().toString().startsWith(key + "="));
                    List<String> cols = new ArrayList<>();
                    for (Column c : t.columns()) {
                        cols.add("\"" + c.name() + "\"");
                    }
                    String list = String.join(", ", cols);
                    String read = "read_parquet('" + out.resolve(t.name()) + "/*/*.parquet', hive_partitioning = true)";
                    assertThat(rows(d, "SELECT " + list + " FROM " + read)).as(by + " " + t.name())
                            .isEqualTo(rows(d, "SELECT " + list + " FROM " + t.name()));
                    tables++;
                }
                assertThat(tables).isGreaterThan(10);
            }
        }
    }

    @Test
    void inputs_directoriesGlobsAndStandardInput(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("b"));
        for (String f : List.of("b/2.pcapng", "a.pcap", "c.pcapng.gz", "notes.txt", "b/1.cap")) {
            Files.writeString(tmp.resolve(f), "x");
        }
        assertThat(InputOptions.expand(List.of(tmp.toString()))).containsExactly(tmp.resolve("a.pcap").toString(),
                tmp.resolve("b/1.cap").toString(), tmp.resolve("b/2.pcapng").toString(),
                tmp.resolve("c.pcapng.gz").toString());
        assertThat(InputOptions.expand(List.of(tmp + "/b/*.pcap*", tmp + "/a.pcap")))
                .containsExactly(tmp.resolve("b/2.pcapng").toString(), tmp.resolve("a.pcap").toString());
        assertThat(InputOptions.expand(List.of("-"))).containsExactly("-");
        assertThatThrownBy(() -> InputOptions.expand(List.of("-", tmp + "/a.pcap"))).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> InputOptions.expand(List.of(tmp + "/*.nothing"))).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void info_severalCaptures_oneSummaryEachAndTheTotal() throws IOException {
        List<String> args = new ArrayList<>(List.of("info", "--format", "json"));
        args.addAll(SET);
        CliErrorsTest.Run r = CliErrorsTest.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.OK);
        Map<String, Object> m = object(parse(r.out().strip()));
        List<Object> each = array(m.get("captures"));
        assertThat(each).hasSize(3);
        long frames = 0;
        for (int i = 0; i < 3; i++) {
            Map<String, Object> one = object(each.get(i));
            assertThat(one.get("capture")).isEqualTo(SET.get(i));
            CliErrorsTest.Run single = CliErrorsTest.run("info", "--format", "json", SET.get(i));
            assertThat(((Number) one.get("frames")).longValue())
                    .isEqualTo(((Number) object(parse(single.out().strip())).get("frames")).longValue());
            frames += ((Number) one.get("frames")).longValue();
        }
        assertThat(((Number) object(m.get("total")).get("frames")).longValue()).isEqualTo(frames);
    }

    @Test
    void reportAndExtract_refuseSeveralCaptures_withOneLine(@TempDir Path tmp) {
        List<String> report = new ArrayList<>(List.of("report", "-o", tmp.resolve("r.html").toString()));
        report.addAll(SET);
        List<String> extract = new ArrayList<>(List.of("extract", "--where", "true", "-w",
                tmp.resolve("e.pcapng").toString()));
        extract.addAll(SET);
        for (List<String> args : List.of(report, extract)) {
            CliErrorsTest.Run r = CliErrorsTest.run(args.toArray(String[]::new));
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err().strip()).doesNotContain("\n").contains(args.get(0) + " reads one capture, not 3");
        }
        assertThat(tmp.resolve("r.html")).doesNotExist();
        assertThat(tmp.resolve("e.pcapng")).doesNotExist();
    }

    @Test
    void displayFilter_onlyWhenTheEvidenceComesFromOneCapture(@TempDir Path tmp) throws IOException {
        // the README's sample twice under two names: the same evidence in each file, numbered per file
        Path a = Files.copy(FIXTURES.resolve("sample.pcapng"), tmp.resolve("a.pcapng"));
        Path b = Files.copy(FIXTURES.resolve("sample.pcapng"), tmp.resolve("b.pcapng"));
        CliErrorsTest.Run one = run("coap-unsuccessful-puts", List.of(a.toString()), Map.of());
        assertThat(one.code()).as(one.err()).isEqualTo(ExitCodes.OK);
        Map<String, Object> single = object(parse(one.out().strip()));
        assertThat(((Number) single.get("answer")).longValue()).isPositive();
        assertThat(single.get("display_filter")).asString().startsWith("frame.number in {");
        CliErrorsTest.Run two = run("coap-unsuccessful-puts", List.of(a.toString(), b.toString()), Map.of());
        assertThat(two.code()).as(two.err()).isEqualTo(ExitCodes.OK);
        Map<String, Object> m = object(parse(two.out().strip()));
        assertThat(((Number) m.get("answer")).longValue()).isEqualTo(2 * ((Number) single.get("answer")).longValue());
        assertThat(m).containsEntry("display_filter", null);
    }

    @Test
    void continuous_keepsTheSecretsAPcapngCarries() {
        // mqtt-tls-dsb.pcapng carries its key log in a Decryption Secrets Block, read before its first frame
        String dsb = FIXTURES.resolve("mqtt-tls-dsb.pcapng").toString();
        String sql = "SELECT count(*) FILTER (WHERE decrypted) AS decrypted FROM tls_connections";
        CliErrorsTest.Run alone = CliErrorsTest.run("query", dsb, sql, "--format", "csv");
        assertThat(alone.code()).as(alone.err()).isEqualTo(ExitCodes.OK);
        assertThat(alone.out()).doesNotContain("\n0\n");
        CliErrorsTest.Run merged = CliErrorsTest.run("query", "--continuous", SET.get(0), dsb, sql, "--format", "csv");
        assertThat(merged.code()).as(merged.err()).isEqualTo(ExitCodes.OK);
        assertThat(merged.out()).isEqualTo(alone.out());
    }
    @Test
    void timeWindow_onSeveralCaptures_matchesFramesOfTheRowsOwnCapture() throws Exception {
        // dns.pcapng was recorded before mqtt.pcapng; a window over the DNS capture alone holds no frame of the
        // MQTT one, whose frame numbers 1 to 36 also exist in the DNS capture
        String dns = FIXTURES.resolve("dns.pcapng").toString();
        String mqtt = FIXTURES.resolve("mqtt.pcapng").toString();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(new Pipeline.Inputs(List.of(dns, mqtt), false), options(), db);
            long from;
            long to;
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT min(time_ns), max(time_ns) + 1,"
                         + " (SELECT min(time_ns) FROM frames WHERE capture = '" + mqtt + "'),"
                         + " (SELECT count(*) FROM mqtt_clients WHERE capture = '" + mqtt + "' AND first_frame <="
                         + " (SELECT max(frame) FROM frames WHERE capture = '" + dns + "'))"
                         + " FROM frames WHERE capture = '" + dns + "'")) {
                rs.next();
                from = rs.getLong(1);
                to = rs.getLong(2);
                assertThat(rs.getLong(3)).as("the MQTT capture begins after the DNS one").isGreaterThanOrEqualTo(to);
                assertThat(rs.getLong(4)).as("MQTT clients whose first frame number the DNS capture also has")
                        .isPositive();
            }
            org.iotpcap.analysis.TimeWindow.apply(db.connection(), from, to);
            for (String table : List.of("frames", "mqtt_messages", "mqtt_clients", "mqtt_wills", "malformed")) {
                assertThat(rows(db, "SELECT count(*) AS n FROM " + table + " WHERE capture = '" + mqtt + "'"))
                        .as(table).containsExactly("n=0|");
            }
            assertThat(rows(db, "SELECT count(*) > 0 AS some FROM frames WHERE capture = '" + dns + "'"))
                    .containsExactly("some=true|");
        }
    }
}
