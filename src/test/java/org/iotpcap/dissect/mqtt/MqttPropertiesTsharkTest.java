package org.iotpcap.dissect.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
 * The typed {@code mqtt_properties} rows of every capture against tshark 4.0's property fields, frame by frame
 * (tshark reports a packet in the frame of its last byte and joins the occurrences of a field over the packets
 * of the frame, in order; so do we here). tshark files the values by field: {@code mqtt.prop_number} for the
 * integers but Topic Alias ({@code mqtt.property.topic_alias}) and Maximum QoS ({@code mqtt.property.max_qos}),
 * {@code mqtt.prop_string} for UTF-8 strings but Content Type ({@code mqtt.property.content_type}) and for
 * Binary Data (shown as text: compared where the bytes are printable ASCII), {@code mqtt.prop_key} and
 * {@code mqtt.prop_value} for User Properties. No binding or heuristic beyond the capture's own, as tshark.
 * The frames where we differ from tshark on purpose ({@link MqttTsharkConformanceTest#KNOWN}, explained in
 * docs/tshark-differences-mqtt.md) are left out.
 */
class MqttPropertiesTsharkTest {
    static final List<String> FIELDS = List.of("mqtt.property_id", "mqtt.prop_number", "mqtt.prop_string",
            "mqtt.prop_key", "mqtt.prop_value", "mqtt.property.content_type", "mqtt.property.topic_alias",
            "mqtt.property.max_qos");

    @TestFactory
    Stream<DynamicTest> everyPropertyAsTsharkDecodesIt() {
        return TestCaptures.all().stream().map(tc -> DynamicTest.dynamicTest(tc.toString(), () -> compare(tc)));
    }

    /** mqtt_messages.header_flags with the type's code: tshark's {@code mqtt.hdrflags} (byte 1), frame by frame. */
    @TestFactory
    Stream<DynamicTest> headerFlagsAsTsharkShowsThem() {
        return TestCaptures.all().stream().map(tc -> DynamicTest.dynamicTest(tc.toString(), () -> {
            Tshark.assumeAvailable();
            var known = MqttTsharkConformanceTest.KNOWN.getOrDefault(tc.toString(), java.util.Set.of());
            Map<Long, String> theirs = new TreeMap<>();
            List<String> opts = new ArrayList<>(tc.tsharkOptions());
            opts.addAll(List.of("-Y", "mqtt"));
            for (Map<String, String> r : Tshark.fields(tc.path(), opts, "frame.number", "mqtt.hdrflags")) {
                theirs.put(Long.parseLong(r.get("frame.number")), r.get("mqtt.hdrflags"));
            }
            Map<Long, List<String>> mine = new TreeMap<>();
            List<Binding> decode = tc.iotpcapDecode().stream().map(Binding::parse).toList();
            try (Database db = Database.inMemory()) {
                CaptureLoader.load(tc.path().toString(), new CaptureLoader.Options(
                        new Bindings(decode, Heuristics.NONE), false), db);
                try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                        "select end_frame, type, header_flags from mqtt_messages order by end_frame, stream, stream_offset")) {
                    while (rs.next()) {
                        int code = MqttPacketType.valueOf(rs.getString("type")).code();
                        mine.computeIfAbsent(rs.getLong("end_frame"), k -> new ArrayList<>())
                                .add(String.format("0x%02x", code << 4 | rs.getInt("header_flags")));
                    }
                }
            }
            int compared = 0;
            for (Map.Entry<Long, List<String>> e : mine.entrySet()) {
                if (!known.contains(e.getKey())) {
                    assertThat(String.join(",", e.getValue())).as(tc + " frame " + e.getKey())
                            .isEqualTo(theirs.get(e.getKey()));
                    compared++;
                }
            }
            if (!theirs.isEmpty()) {
                assertThat(compared).as("frames compared in " + tc).isPositive();
            }
        }));
    }

    private static void compare(TestCapture tc) throws Exception {
        Tshark.assumeAvailable();
        Map<Long, Map<String, String>> ours = ours(tc);
        List<String> opts = new ArrayList<>(tc.tsharkOptions());
        opts.addAll(List.of("-Y", "mqtt.property_id"));
        List<String> fields = new ArrayList<>(List.of("frame.number"));
        fields.addAll(FIELDS);
        Map<Long, Map<String, String>> theirs = new TreeMap<>();
        for (Map<String, String> r : Tshark.fields(tc.path(), opts, fields.toArray(String[]::new))) {
            Map<String, String> v = new LinkedHashMap<>(r);
            v.remove("frame.number");
            theirs.put(Long.parseLong(r.get("frame.number")), v);
        }
        var known = MqttTsharkConformanceTest.KNOWN.getOrDefault(tc.toString(), java.util.Set.of());
        ours.keySet().removeAll(known);
        theirs.keySet().removeAll(known);
        assertThat(ours.keySet()).as("frames with MQTT 5 properties in " + tc).isEqualTo(theirs.keySet());
        for (Map.Entry<Long, Map<String, String>> e : theirs.entrySet()) {
            Map<String, String> mine = ours.get(e.getKey());
            if (mine.containsKey("binary not text")) {
                mine.remove("binary not text");
                mine.remove("mqtt.prop_string");
                e.getValue().remove("mqtt.prop_string");
            }
            assertThat(mine).as(tc + " frame " + e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static Map<Long, Map<String, String>> ours(TestCapture tc) throws Exception {
        List<Binding> decode = tc.iotpcapDecode().stream().map(Binding::parse).toList();
        Map<Long, Map<String, List<String>>> byFrame = new TreeMap<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(tc.path().toString(), new CaptureLoader.Options(new Bindings(decode, Heuristics.NONE),
                    false), db);
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "select end_frame, id, value_type, number_value, text_value, binary_value, pair_name, pair_value"
                    + " from mqtt_properties order by end_frame, stream, stream_offset, scope, position")) {
                while (rs.next()) {
                    Map<String, List<String>> v = byFrame.computeIfAbsent(rs.getLong("end_frame"), k -> {
                        Map<String, List<String>> m = new LinkedHashMap<>();
                        FIELDS.forEach(f -> m.put(f, new ArrayList<>()));
                        return m;
                    });
                    int id = rs.getInt("id");
                    v.get("mqtt.property_id").add(String.format("0x%02x", id));
                    String type = rs.getString("value_type");
                    switch (type) {
                        case "utf8_string" -> v.get(id == 0x03 ? "mqtt.property.content_type" : "mqtt.prop_string")
                                .add(rs.getString("text_value"));
                        case "utf8_string_pair" -> {
                            v.get("mqtt.prop_key").add(rs.getString("pair_name"));
                            v.get("mqtt.prop_value").add(rs.getString("pair_value"));
                        }
                        case "binary_data" -> {
                            java.sql.Blob b = rs.getBlob("binary_value");
                            byte[] bytes = b.getBytes(1, (int) b.length());
                            boolean printable = true;
                            for (byte x : bytes) {
                                printable &= x >= 0x20 && x < 0x7f;
                            }
                            if (!printable) {
                                v.put("binary not text", List.of());
                            }
                            v.get("mqtt.prop_string").add(new String(bytes, StandardCharsets.ISO_8859_1));
                        }
                        default -> v.get(id == 0x23 ? "mqtt.property.topic_alias"
                                : id == 0x24 ? "mqtt.property.max_qos" : "mqtt.prop_number")
                                .add(Long.toString(rs.getLong("number_value")));
                    }
                }
            }
        }
        Map<Long, Map<String, String>> out = new TreeMap<>();
        byFrame.forEach((frame, v) -> {
            Map<String, String> joined = new LinkedHashMap<>();
            v.forEach((f, values) -> joined.put(f, String.join(",", values)));
            out.put(frame, joined);
        });
        return out;
    }
}
