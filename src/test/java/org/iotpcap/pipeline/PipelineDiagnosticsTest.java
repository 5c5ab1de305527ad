package org.iotpcap.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Limits;
import org.iotpcap.cli.Main;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.engine.Summary;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One pipeline, one count of diagnostics: what the capture file itself reports (a captured length above the
 * snap length) reaches {@code info} and {@code --strict} as it reaches the {@code malformed} table, and every
 * semantic limit that drops data is a diagnostic of its own, counted in both places.
 */
class PipelineDiagnosticsTest {
    @TempDir
    Path tmp;

    private static Map<String, Long> malformedTable(Database db) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT layer || '/' || reason, count(*) FROM malformed GROUP BY 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    @Test
    void captureDiagnostics_reachInfoStrictAndTheMalformedTable_alike() throws Exception {
        byte[] frame = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.UDP,
                Packets.udp(40000, 9999, new byte[60])));
        Path pcap = tmp.resolve("snap.pcap");
        // snap length 40: both 102-byte records claim more than the file says it captured
        Files.write(pcap, new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, CaptureBytes.MAGIC_MICRO, 1, 40)
                .record(1, 0, frame).record(2, 0, frame).bytes());

        Summary info = Pipeline.summarize(pcap.toString(), new Pipeline.Options(Bindings.defaults(), false,
                Limits.DEFAULTS));
        assertThat(info.malformed).containsEntry("capture/captured_above_snap_length", 2L);
        try (Database db = Database.inMemory()) {
            Summary loaded = CaptureLoader.load(pcap.toString(),
                    new CaptureLoader.Options(Bindings.defaults(), false), db);
            assertThat(loaded.malformed).isEqualTo(info.malformed);
            assertThat(malformedTable(db)).isEqualTo(info.malformed);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.execute(new String[] {"info", "--strict", pcap.toString()}, new PrintWriter(out),
                new PrintWriter(err))).isEqualTo(1);
        assertThat(out.toString()).contains("capture/captured_above_snap_length");
    }

    @Test
    void semanticLimits_reached_areDiagnostics_inTheSummaryAndTheTable() throws Exception {
        // tiny limits on the sample fixture: several MQTT clients, CoAP exchanges and DNS names each
        Limits.Semantic tiny = new Limits.Semantic(1, 1, 1, 1, 1, 16, 16, 1);
        Limits limits = Limits.DEFAULTS.withSemantic(tiny);
        try (Database db = Database.inMemory()) {
            Summary s = CaptureLoader.load("fixtures/captures/sample.pcapng",
                    new CaptureLoader.Options(Bindings.defaults(), false, limits), db);
            Map<String, Long> table = malformedTable(db);
            assertThat(table).containsKeys("semantic/mqtt_client_limit", "semantic/coap_exchange_limit",
                    "semantic/dns_name_limit", "semantic/mqtt_fired_will_limit");
            assertThat(s.malformed).isEqualTo(table);
            try (Statement st = db.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM mqtt_clients")) {
                rs.next();
                assertThat(rs.getLong(1)).as("clients beyond the limit get no row").isEqualTo(1);
            }
        }
        try (Database db = Database.inMemory()) {
            Summary s = CaptureLoader.load("fixtures/captures/sample.pcapng",
                    new CaptureLoader.Options(Bindings.defaults(), false), db);
            assertThat(s.malformed.keySet()).noneMatch(k -> k.startsWith("semantic/"));
        }
    }
    @Test
    void firedWillLimit_holdsTheWillsOfAllBrokersTogether() throws Exception {
        long total;
        long mostAtOneBroker;
        try (Database db = Database.inMemory()) {
            CaptureLoader.load("fixtures/captures/sample.pcapng", new CaptureLoader.Options(Bindings.defaults(), false), db);
            try (Statement st = db.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT sum(n), max(n) FROM (SELECT count(*) AS n FROM mqtt_wills"
                         + " WHERE fired GROUP BY broker, broker_port)")) {
                rs.next();
                total = rs.getLong(1);
                mostAtOneBroker = rs.getLong(2);
            }
        }
        assertThat(total).as("the sample fires wills at more than one broker").isGreaterThan(mostAtOneBroker);
        // a limit no single broker reaches, below the total: reached only if the wills of all brokers count together
        Limits.Semantic s = Limits.Semantic.DEFAULTS;
        Limits limits = Limits.DEFAULTS.withSemantic(new Limits.Semantic(s.mqttMaxSubscriptionsPerConnection(),
                (int) mostAtOneBroker, s.mqttMaxClients(), s.coapMaxOpenExchanges(), s.coapMaxOpenTransfers(),
                s.coapMaxTransferBytes(), s.coapMaxHeldTransferBytes(), s.dnsMaxNames()));
        try (Database db = Database.inMemory()) {
            Summary loaded = CaptureLoader.load("fixtures/captures/sample.pcapng",
                    new CaptureLoader.Options(Bindings.defaults(), false, limits), db);
            assertThat(loaded.malformed).containsEntry("semantic/mqtt_fired_will_limit", total - mostAtOneBroker);
            assertThat(malformedTable(db)).isEqualTo(loaded.malformed);
        }
    }
}
