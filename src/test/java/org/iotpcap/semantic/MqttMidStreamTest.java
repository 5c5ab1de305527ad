package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.testing.TestCaptures;
import org.iotpcap.testing.Tshark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection picked up mid-stream: suricata-verify-mqtt5_pub_jpeg.pcap (shared captures) without its first five
 * frames (handshake and CONNECT), so the capture starts at the broker's MQTT 5 CONNACK (Remaining Length 50,
 * properties). The level must be inferred (5) and the CONNACK and the JPEG PUBLISH decoded as tshark decodes them
 * in the whole capture, where it sees the CONNECT: the expected values are tshark's fields there.
 */
class MqttMidStreamTest {
    private static final Path JPEG = TestCaptures.SHARED.resolve("third-party").resolve("suricata-verify-mqtt5_pub_jpeg.pcap");

    /** Frames dropped from the start: SYN, SYN-ACK, ACK, CONNECT, ACK; frame n becomes n - DROPPED. */
    private static final long DROPPED = 5;

    @TempDir
    Path dir;

    @Test
    void mqtt5ConnackWithoutConnectIsDecodedAs5() throws Exception {
        assumeTrue(Files.exists(JPEG), "shared captures absent");
        Tshark.assumeAvailable();
        List<Map<String, String>> tshark = Tshark.fields(JPEG, List.of("-o", "tcp.desegment_tcp_streams:TRUE",
                "-Y", "mqtt.msgtype==2 || mqtt.msgtype==3"), "frame.number", "mqtt.msgtype", "mqtt.len",
                "mqtt.property_id", "mqtt.msg");
        assertThat(tshark).hasSize(2);
        Map<String, String> connack = tshark.get(0);
        Map<String, String> publish = tshark.get(1);
        assertThat(connack.get("mqtt.msgtype")).isEqualTo("2");
        byte[] jpeg = HexFormat.of().parseHex(publish.get("mqtt.msg"));

        Path trimmed = dir.resolve("midstream.pcap");
        Files.write(trimmed, withoutFirstRecords(Files.readAllBytes(JPEG), (int) DROPPED));
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(trimmed.toString(), new CaptureLoader.Options(Bindings.defaults(), false), db);
            try (Statement s = db.connection().createStatement()) {
                try (ResultSet rs = s.executeQuery("select count(*) from malformed")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("malformed rows").isZero();
                }
                try (ResultSet rs = s.executeQuery("select end_frame, protocol_level, level_inferred, remaining_length,"
                        + " payload_length, payload, properties from mqtt_messages where type = 'CONNACK'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong("end_frame")).isEqualTo(Long.parseLong(connack.get("frame.number")) - DROPPED);
                    assertThat(rs.getInt("protocol_level")).isEqualTo(5);
                    assertThat(rs.getBoolean("level_inferred")).isTrue();
                    assertThat(rs.getInt("remaining_length")).isEqualTo(Integer.parseInt(connack.get("mqtt.len")));
                    assertThat(rs.getString("properties")).isNotNull();
                }
                try (ResultSet rs = s.executeQuery("select end_frame, protocol_level, level_inferred, payload_length,"
                        + " hex(payload) as payload_hex from mqtt_messages where type = 'PUBLISH'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong("end_frame")).isEqualTo(Long.parseLong(publish.get("frame.number")) - DROPPED);
                    assertThat(rs.getInt("protocol_level")).isEqualTo(5);
                    assertThat(rs.getBoolean("level_inferred")).isTrue();
                    assertThat(rs.getInt("payload_length")).isEqualTo(jpeg.length);
                    assertThat(rs.getString("payload_hex")).isEqualToIgnoringCase(publish.get("mqtt.msg"));
                }
                try (ResultSet rs = s.executeQuery("select protocol_level, level_inferred, connect_frame"
                        + " from mqtt_connections")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt("protocol_level")).isEqualTo(5);
                    assertThat(rs.getBoolean("level_inferred")).isTrue();
                    assertThat(rs.getObject("connect_frame")).isNull();
                }
            }
        }
    }

    /** A classic little-endian pcap without its first {@code n} records (global header kept). */
    private static byte[] withoutFirstRecords(byte[] pcap, int n) {
        ByteBuffer b = ByteBuffer.wrap(pcap).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("little-endian microsecond pcap").isEqualTo(0xa1b2c3d4);
        int at = 24;
        for (int i = 0; i < n; i++) {
            at += 16 + b.getInt(at + 8);
        }
        byte[] out = new byte[24 + pcap.length - at];
        System.arraycopy(pcap, 0, out, 0, 24);
        System.arraycopy(pcap, at, out, 24, pcap.length - at);
        return out;
    }
}
