package org.iotpcap.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iotpcap.cli.ExitCodes;
import org.iotpcap.cli.Main;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The seven analyses against the fixture generator's record: for every {@code fixtures/captures/X.expected.json}
 * (written by {@code fixtures/generate} from what each scenario did, not from our output), every analysis it
 * lists is run through the command line with the recorded parameters and each of its variants, and the JSON
 * {@code answer} must equal the recorded one. A recorded answer of null means the capture has no DNS answer for
 * the named server: the command must exit with {@link ExitCodes#UNRESOLVED_NAME} and name it on stderr.
 * Fails, never passes empty, when the fixtures or a capture's record are absent.
 */
class AnalysesFixtureRecordTest {
    /**
     * The decode-as bindings the fixture generator's own tshark cross-check uses for every fixture
     * ({@code fixtures/tools/verify.py}): its scenarios also run an MQTT-SN gateway on 1886 and CoAP on 5699.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> FIXTURE_DECODE = List.of("udp.port==1886:mqttsn", "udp.port==5699:coap");

    @TestFactory
    Stream<DynamicTest> everyRecordedAnswer() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (TestCaptures.TestCapture capture : TestCaptures.fixtures()) {
            Path record = Path.of(capture.path() + ".expected.json");
            if (!Files.isRegularFile(record)) {
                tests.add(DynamicTest.dynamicTest(capture + " has a record", () -> {
                    throw new AssertionError("no " + record + ": fixtures/generate writes one beside each capture");
                }));
                continue;
            }
            JsonNode rec = JSON.readTree(Files.readString(record));
            JsonNode dns = rec.path("dns");
            for (Map.Entry<String, JsonNode> e : rec.get("analyses").properties()) {
                String name = e.getKey();
                JsonNode a = e.getValue();
                List<JsonNode> cases = new ArrayList<>();
                cases.add(a);
                for (JsonNode v : a.path("variants")) {
                    cases.add(v);
                }
                for (JsonNode c : cases) {
                    Map<String, String> params = new LinkedHashMap<>();
                    c.get("parameters").properties().forEach(p -> params.put(p.getKey(), p.getValue().asText()));
                    JsonNode expected = c.get("answer");
                    tests.add(DynamicTest.dynamicTest(capture + " " + name + " " + params,
                            () -> check(capture, name, params, expected, dns)));
                }
            }
        }
        return tests.stream();
    }

    private static void check(TestCaptures.TestCapture capture, String name, Map<String, String> params,
                              JsonNode expected, JsonNode dns) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", name, capture.path().toString(), "--format", "json"));
        List<String> decode = new ArrayList<>(FIXTURE_DECODE);
        decode.addAll(capture.iotpcapDecode());
        for (String d : decode) {
            args.add("--decode");
            args.add(d);
        }
        for (Map.Entry<String, String> p : params.entrySet()) {
            args.add("--set");
            args.add(p.getKey() + "=" + p.getValue());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        String context = String.join(" ", args) + "\nstdout: " + out + "\nstderr: " + err;
        if (expected == null || expected.isNull()) {
            assertEquals(ExitCodes.UNRESOLVED_NAME, code, context);
            List<String> unresolved = new ArrayList<>();
            for (String s : params.values()) {
                if (s.matches("(?i)[a-z0-9-]+(\\.[a-z0-9-]+)+\\.?") && !s.matches("[0-9.]+") && !dns.has(s)) {
                    unresolved.add(s);
                }
            }
            assertTrue(!unresolved.isEmpty(), "record says unresolved but names no DNS name: " + context);
            String[] lines = err.toString().strip().split("\n");
            assertEquals(1, lines.length, "one error line: " + context);
            for (String n : unresolved) {
                assertTrue(lines[0].contains(n), "error line names " + n + ": " + context);
            }
            return;
        }
        assertEquals(ExitCodes.OK, code, context);
        JsonNode result = JSON.readTree(out.toString());
        assertEquals(name, result.get("analysis").asText(), context);
        assertEquals(expected, result.get("answer"), context);
    }
}
