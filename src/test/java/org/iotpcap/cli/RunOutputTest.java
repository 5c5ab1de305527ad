package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code run} and {@code query} print: {@code --limit} (docs/cli.md, docs/analyses.md), JSON that stays
 * JSON for NaN and infinity and keeps its key order, one execution per analysis, the time forms of
 * {@code --from}/{@code --to}. Answers come from the fixture generator's record (coap.pcapng.expected.json).
 */
class RunOutputTest {
    private static final String COAP = Path.of("fixtures", "captures", "coap.pcapng").toString();
    /** coap.pcapng.expected.json: coap-unsuccessful-puts with server=local answers 7. */
    private static final long UNSUCCESSFUL_PUTS = 7;

    @TempDir
    Path tmp;

    private static CliTest.Result run(String... args) {
        CliTest.Result r = CliTest.run(args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
        return r;
    }

    @Test
    void limit_json_keepsTheAnswerAndTheTotal() {
        JsonNode all = CliTest.json(run("run", "coap-unsuccessful-puts", COAP, "--format", "json").out());
        assertThat(all.get("answer").asLong()).isEqualTo(UNSUCCESSFUL_PUTS);
        assertThat(all.get("evidence")).hasSize((int) UNSUCCESSFUL_PUTS);
        assertThat(all.get("evidence_total").asLong()).isEqualTo(UNSUCCESSFUL_PUTS);
        JsonNode two = CliTest.json(run("run", "coap-unsuccessful-puts", COAP, "--format", "json", "--limit", "2").out());
        assertThat(two.get("answer").asLong()).isEqualTo(UNSUCCESSFUL_PUTS);
        assertThat(two.get("evidence_total").asLong()).isEqualTo(UNSUCCESSFUL_PUTS);
        assertThat(two.get("evidence")).containsExactly(all.get("evidence").get(0), all.get("evidence").get(1));
        assertThat(two.propertyStream().map(java.util.Map.Entry::getKey))
                .containsExactly("analysis", "parameters", "answer", "display_filter", "evidence", "evidence_total");
        // the display filter selects every evidence frame, not only the rows printed
        assertThat(two.get("display_filter").asText()).isEqualTo(all.get("display_filter").asText());
        JsonNode none = CliTest.json(run("run", "coap-unsuccessful-puts", COAP, "--format", "json", "--limit", "0").out());
        assertThat(none.get("evidence")).isEmpty();
        assertThat(none.get("answer").asLong()).isEqualTo(UNSUCCESSFUL_PUTS);
    }

    @Test
    void limit_text_saysHowManyMore() {
        List<String> lines = run("run", "coap-unsuccessful-puts", COAP, "--limit", "3").out().lines().toList();
        int evidence = lines.indexOf("evidence:");
        assertThat(lines.subList(evidence + 3, evidence + 6)).allSatisfy(l -> assertThat(l).contains("127.0.0."));
        assertThat(lines.subList(evidence + 6, lines.size() - 1))
                .containsExactly("... and " + (UNSUCCESSFUL_PUTS - 3) + " more", "(" + UNSUCCESSFUL_PUTS + " rows)",
                        "answer: " + UNSUCCESSFUL_PUTS);
        assertThat(lines.get(lines.size() - 1)).startsWith("display filter: frame.number in {");
        assertThat(CliTest.run("run", "coap-unsuccessful-puts", COAP, "--limit", "-1").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void query_limit() {
        String sql = "SELECT range AS n FROM range(10)";
        assertThat(run("query", COAP, sql, "--limit", "4").out().lines())
                .containsExactly("n", "-", "0", "1", "2", "3", "... and 6 more", "(10 rows)");
        assertThat(CliTest.json(run("query", COAP, sql, "--limit", "4", "--format", "json").out())).hasSize(4);
        assertThat(run("query", COAP, sql, "--limit", "4", "--format", "csv").out().lines()).containsExactly("n", "0", "1", "2", "3");
    }

    @Test
    void json_nanAndInfinity_areNull_andTheDocumentParses() {
        String out = run("query", COAP, "SELECT 'NaN'::DOUBLE AS nan, 'inf'::DOUBLE AS inf, '-inf'::FLOAT AS ninf, "
                + "0.5::DOUBLE AS half, 'a\"b\\c' || chr(10) AS text", "--format", "json").out();
        JsonNode row = CliTest.json(out).get(0);
        assertThat(row.get("nan").isNull()).isTrue();
        assertThat(row.get("inf").isNull()).isTrue();
        assertThat(row.get("ninf").isNull()).isTrue();
        assertThat(row.get("half").asDouble()).isEqualTo(0.5);
        assertThat(row.get("text").asText()).isEqualTo("a\"b\\c\n");
    }

    @Test
    void analysesJson_sameKeysInTheSameOrder_everyRun() {
        String first = run("analyses", "--format", "json").out();
        assertThat(run("analyses", "--format", "json").out()).isEqualTo(first);
        for (JsonNode a : CliTest.json(first)) {
            assertThat(a.propertyStream().map(java.util.Map.Entry::getKey))
                    .containsExactly("name", "question", "description", "parameters", "source");
            for (JsonNode p : a.get("parameters")) {
                assertThat(p.propertyStream().map(java.util.Map.Entry::getKey))
                        .containsExactly("name", "type", "default", "description");
            }
        }
    }

    /** Evidence and answer come from one execution: with random() in the SQL, two would disagree. */
    @Test
    void analysisSqlRunsOnce() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("analyses"));
        Files.writeString(dir.resolve("coin.sql"), """
                -- name: coin
                -- description: half of a thousand numbers, by chance
                SELECT range AS n FROM range(1000) WHERE random() < 0.5
                """);
        for (int i = 0; i < 3; i++) {
            JsonNode r = CliTest.json(run("run", "coin", COAP, "--analyses", dir.toString(), "--format", "json").out());
            assertThat(r.get("evidence")).hasSize(r.get("answer").asInt());
            assertThat(r.get("evidence_total").asLong()).isEqualTo(r.get("answer").asLong());
        }
    }

    @Test
    void fromTo_everyDocumentedForm_givesTheSameWindow() {
        // coap.pcapng was captured in 2026 (tshark: frame.time_epoch 1795655704...): 2000 to 2100 keeps every request.
        List<List<String>> windows = List.of(
                List.of("--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T01:00:00+01:00"),
                List.of("--from", "2000-01-01 00:00", "--to", "2100-01-01T00:00"),
                List.of("--from", "2000-01-01T01:00[Europe/Rome]", "--to", "2100-01-01T00:00:00.000z"),
                List.of("--from", "2000-01-01T02:00", "--to", "2100-01-01T02:00", "--tz", "+02:00"));
        for (List<String> w : windows) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "coap-unsuccessful-puts", COAP, "--format", "json"));
            args.addAll(w);
            assertThat(CliTest.json(run(args.toArray(String[]::new)).out()).get("answer").asLong()).as(w.toString())
                    .isEqualTo(UNSUCCESSFUL_PUTS);
        }
        List<String> empty = List.of("run", "coap-unsuccessful-puts", COAP, "--format", "json",
                "--from", "2100-01-01T00:00Z");
        assertThat(CliTest.json(run(empty.toArray(String[]::new)).out()).get("answer").asLong()).isZero();
        for (String bad : List.of("yesterday", "2024-13-01T00:00", "2024-05-03T15:59[Mars/Base]")) {
            CliErrorsTest.Run r = CliErrorsTest.run("run", "coap-unsuccessful-puts", COAP, "--from", bad).oneErrorLine();
            assertThat(r.code()).as(bad).isEqualTo(ExitCodes.USAGE);
        }
        CliErrorsTest.Run tz = CliErrorsTest.run("run", "coap-unsuccessful-puts", COAP, "--tz", "Mars/Base").oneErrorLine();
        assertThat(tz.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tz.err()).contains("unknown time zone 'Mars/Base'");
    }
}
