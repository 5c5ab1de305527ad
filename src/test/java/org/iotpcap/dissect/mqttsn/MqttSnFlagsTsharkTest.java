package org.iotpcap.dissect.mqttsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
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
 * {@code mqttsn_messages.flags} (the Flags byte, MQTT-SN 1.2 §5.3.4) and {@code return_code} against tshark 4.0,
 * frame by frame, in frames holding one MQTT-SN message: every flag field tshark shows for the message
 * ({@code mqttsn.dup}, {@code qos}, {@code retain}, {@code will}, {@code clean.session}, {@code topic.id.type};
 * it shows only those the message type uses) must equal the same bits of our byte.
 */
class MqttSnFlagsTsharkTest {
    private static final String[] FIELDS = {"frame.number", "mqttsn.dup", "mqttsn.qos", "mqttsn.retain",
            "mqttsn.will", "mqttsn.clean.session", "mqttsn.topic.id.type", "mqttsn.return.code"};

    @TestFactory
    Stream<DynamicTest> flagsAsTsharkShowsThem() {
        return TestCaptures.all().stream().map(tc -> DynamicTest.dynamicTest(tc.toString(), () -> compare(tc)));
    }

    private static void compare(TestCapture tc) throws Exception {
        Tshark.assumeAvailable();
        Map<Long, Integer> flags = new TreeMap<>();
        Map<Long, Integer> codes = new TreeMap<>();
        Map<Long, Integer> count = new TreeMap<>();
        List<Binding> decode = tc.iotpcapDecode().stream().map(Binding::parse).toList();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(tc.path().toString(), new CaptureLoader.Options(new Bindings(decode, Heuristics.NONE),
                    false), db);
            try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery(
                    "select frame, flags, return_code from mqttsn_messages")) {
                while (rs.next()) {
                    long f = rs.getLong(1);
                    count.merge(f, 1, Integer::sum);
                    if (rs.getObject(2) != null) {
                        flags.put(f, rs.getInt(2));
                    }
                    if (rs.getObject(3) != null) {
                        codes.put(f, rs.getInt(3));
                    }
                }
            }
        }
        List<String> opts = new ArrayList<>(tc.tsharkOptions());
        opts.addAll(List.of("-Y", "mqttsn"));
        int compared = 0;
        for (Map<String, String> r : Tshark.fields(tc.path(), opts, FIELDS)) {
            long frame = Long.parseLong(r.get("frame.number"));
            if (count.getOrDefault(frame, 0) != 1) {
                continue;
            }
            Integer b = flags.get(frame);
            String label = tc + " frame " + frame;
            bit(r, "mqttsn.dup", b, 7, 1, label);
            bit(r, "mqttsn.qos", b, 5, 3, label);
            bit(r, "mqttsn.retain", b, 4, 1, label);
            bit(r, "mqttsn.will", b, 3, 1, label);
            bit(r, "mqttsn.clean.session", b, 2, 1, label);
            bit(r, "mqttsn.topic.id.type", b, 0, 3, label);
            if (!r.get("mqttsn.return.code").isEmpty()) {
                assertThat(codes.get(frame)).as(label + " return code")
                        .isEqualTo(Integer.decode(r.get("mqttsn.return.code")));
            }
            compared++;
        }
        if (!count.isEmpty()) {
            assertThat(compared).as("frames compared in " + tc).isPositive();
        }
    }

    private static void bit(Map<String, String> r, String field, Integer flags, int shift, int mask, String label) {
        String v = r.get(field);
        if (v.isEmpty()) {
            return;
        }
        int expected = v.equals("True") ? 1 : v.equals("False") ? 0 : Integer.decode(v);
        assertThat(flags).as(label + " " + field + ": tshark shows it, we have no Flags byte").isNotNull();
        assertThat((flags >> shift) & mask).as(label + " " + field).isEqualTo(expected);
    }
}
