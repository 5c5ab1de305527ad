package org.iotpcap.dissect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.iotpcap.cli.Main;
import org.iotpcap.testing.Packets;
import org.iotpcap.testing.RawPcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on TCP 8883 and DTLS on UDP 5684 are recognised by port and recorded, never decoded. */
class RecordedNotDecodedTest {
    @TempDir
    Path dir;

    @Test
    void tlsAndDtlsAreCountedAndMarkedButNotDecoded() throws Exception {
        RawPcap pcap = new RawPcap();
        // a DTLS 1.2 ClientHello-like record on 5684 (content type 22, version fefd) and another datagram back
        pcap.udp("127.0.0.1", 40000, "127.0.0.1", 5684, Packets.bytes(0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0));
        pcap.udp("127.0.0.1", 5684, "127.0.0.1", 40000, Packets.bytes(0x16, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0));
        // a TLS connection to 8883 whose first bytes would not pass as MQTT
        pcap.tcp("127.0.0.1", 45000, "127.0.0.1", 8883).handshake()
                .client(Packets.bytes(0x16, 0x03, 0x01, 0x00, 0x05, 1, 0, 0, 1, 0)).close();
        Path file = dir.resolve("tls.pcap");
        pcap.write(file);

        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"info", file.toString(), "--format", "json"}, new PrintWriter(out),
                new PrintWriter(new StringWriter()));
        assertThat(code).isZero();
        var json = new ObjectMapper().readTree(out.toString());
        var recorded = json.get("recorded_not_decoded");
        assertThat(recorded.get("dtls_datagrams").asLong()).isEqualTo(2L);
        assertThat(recorded.get("tls_connections").asLong()).isEqualTo(1L);
        var messages = json.get("messages");
        assertThat(messages.get("coap").asLong()).isEqualTo(0L);
        assertThat(messages.get("mqtt").asLong()).isEqualTo(0L);

        StringWriter q = new StringWriter();
        Main.execute(new String[] {"query", file.toString(), "SELECT DISTINCT protocol FROM frames ORDER BY 1",
                "--format", "csv"}, new PrintWriter(q), new PrintWriter(new StringWriter()));
        assertThat(q.toString().lines().toList()).containsExactly("protocol", "dtls", "tls");
        assertThat(Files.size(file)).isPositive();
    }
}
