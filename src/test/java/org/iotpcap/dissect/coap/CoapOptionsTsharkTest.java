package org.iotpcap.dissect.coap;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The typed {@code coap_options} rows of every capture against tshark 4.0, frame by frame: the options' names in
 * wire order ({@code coap.opt.name}, "#n: Name", compared without case: tshark writes "Etag" for RFC 7252's
 * ETag), the Uri-Path segments ({@code coap.opt.uri_path}) and the Observe values ({@code coap.opt.observe}).
 * Only frames both decode are compared (the CoAP conformance test checks that they are the same frames).
 */
class CoapOptionsTsharkTest {

    @TestFactory
    Stream<DynamicTest> everyOptionAsTsharkDecodesIt() {
        return TestCaptures.all().stream().map(tc -> DynamicTest.dynamicTest(tc.toString(), () -> compare(tc)));
    }

    private static void compare(TestCapture tc) throws Exception {
        Tshark.assumeAvailable();
        List<String> opts = new ArrayList<>(tc.tsharkOptions());
        opts.addAll(List.of("-Y", "coap && !_ws.malformed"));
        Map<Long, List<String>> theirs = new TreeMap<>();
        for (Map<String, String> r : Tshark.fields(tc.path(), opts, "frame.number", "coap.opt.name",
                "coap.opt.uri_path", "coap.opt.observe")) {
            List<String> names = new ArrayList<>();
            for (String n : r.get("coap.opt.name").split(",")) {
                if (!n.isEmpty()) {
                    names.add(n.substring(n.indexOf(": ") + 2).toLowerCase(Locale.ROOT));
                }
            }
            theirs.put(Long.parseLong(r.get("frame.number")),
                    List.of(String.join(",", names), r.get("coap.opt.uri_path"), r.get("coap.opt.observe")));
        }
        Map<Long, List<List<String>>> mine = new TreeMap<>();
        List<Binding> decode = tc.iotpcapDecode().stream().map(Binding::parse).toList();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(tc.path().toString(), new CaptureLoader.Options(new Bindings(decode, Heuristics.NONE),
                    false), db);
            try (Statement s = db.connection().createStatement()) {
                try (ResultSet rs = s.executeQuery("select frame from coap_messages")) {
                    while (rs.next()) {
                        mine.put(rs.getLong(1), List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
                    }
                }
                try (ResultSet rs = s.executeQuery("select frame, name, number, uint_value, string_value"
                        + " from coap_options order by frame, position")) {
                    while (rs.next()) {
                        List<List<String>> v = mine.get(rs.getLong("frame"));
                        v.get(0).add(rs.getString("name").toLowerCase(Locale.ROOT));
                        if (rs.getInt("number") == CoapOptions.URI_PATH) {
                            v.get(1).add(rs.getString("string_value"));
                        }
                        if (rs.getInt("number") == CoapOptions.OBSERVE) {
                            v.get(2).add(Long.toString(rs.getLong("uint_value")));
                        }
                    }
                }
            }
        }
        int compared = 0;
        for (Map.Entry<Long, List<String>> e : theirs.entrySet()) {
            List<List<String>> v = mine.get(e.getKey());
            if (v == null) {
                continue;
            }
            assertThat(List.of(String.join(",", v.get(0)), String.join(",", v.get(1)), String.join(",", v.get(2))))
                    .as(tc + " frame " + e.getKey()).isEqualTo(e.getValue());
            compared++;
        }
        if (!theirs.isEmpty()) {
            assertThat(compared).as("frames compared in " + tc).isPositive();
        }
    }
}
