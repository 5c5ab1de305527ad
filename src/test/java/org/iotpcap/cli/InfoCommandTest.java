package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iotpcap info} through {@link Main#execute}: output, exit codes and error lines. */
class InfoCommandTest {
    @TempDir
    Path tmp;

    private Path capture;
    private byte[] captureBytes;

    /** Two UDP datagrams of one flow and one TCP SYN, at known times, on Ethernet. */
    @BeforeEach
    void writeCapture() throws Exception {
        byte[] udp1 = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.UDP,
                Packets.udp(5000, 53, new byte[] {1, 2, 3})));
        byte[] udp2 = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.2", "10.0.0.1", Packets.UDP,
                Packets.udp(53, 5000, new byte[] {4, 5})));
        byte[] syn = Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, 100, 0, Packets.SYN, new byte[0]);
        captureBytes = CaptureBytes.Pcap.micro(1)
                .record(1_600_000_000L, 250_000, udp1)
                .record(1_600_000_001L, 0, udp2)
                .record(1_600_000_002L, 500_000, syn)
                .bytes();
        capture = tmp.resolve("small.pcap");
        Files.write(capture, captureBytes);
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void text() {
        Run r = run("info", capture.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).containsPattern("Frames: +3\\b")
                .contains("2020-09-13T12:26:40.250Z")   // 1600000000.25
                .contains("2020-09-13T12:26:42.500Z")
                .containsPattern("TCP connections: +1 ")
                .containsPattern("UDP flows: +1 \\(2 datagrams\\)");
    }

    @Test
    void json() {
        Run r = run("info", "--format", "json", capture.toString());
        assertThat(r.code()).isZero();
        int bytes = captureBytes.length - 24 - 3 * 16;
        assertThat(r.out()).contains("\"frames\": 3,").contains("\"bytes\": " + bytes + ",")
                .contains("\"first_time\": \"2020-09-13T12:26:40.250Z\"")
                .contains("\"last_time\": \"2020-09-13T12:26:42.500Z\"")
                .contains("\"tcp_connections\": 1,").contains("\"udp_flows\": 1,")
                .contains("\"format\": \"pcap\"");
        assertThat(r.out().strip()).startsWith("{").endsWith("}");
    }

    @Test
    void missingFile_exit3_oneLineOnStderr_noStackTrace() {
        Run r = run("info", tmp.resolve("missing.pcap").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("missing.pcap").contains("no such file").doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void notACapture_exit3_saysWhatItLooksLike() throws Exception {
        Path text = tmp.resolve("notes.pcap");
        Files.writeString(text, "just some notes\n", StandardCharsets.US_ASCII);
        Run r = run("info", text.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("text").doesNotContain("\tat ");
    }

    @Test
    void unknownOption_exit2() {
        Run r = run("info", "--no-such-option", capture.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--no-such-option");
    }

    @Test
    void strict_exit1OnATruncatedFile_exit0Without() throws Exception {
        Path cut = tmp.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(captureBytes, captureBytes.length - 7)); // inside the last record
        Run strict = run("info", "--strict", cut.toString());
        assertThat(strict.code()).isEqualTo(ExitCodes.STRICT_PROBLEMS);
        assertThat(strict.err()).contains("warning").contains("cut short");
        assertThat(strict.out()).containsPattern("Frames: +2\\b");
        Run lenient = run("info", cut.toString());
        assertThat(lenient.code()).isZero();
        assertThat(lenient.err()).contains("cut short");
        // the small capture's two DNS datagrams are malformed (1 and 2 bytes): --strict honours dissector
        // diagnostics as it does the capture's own; a capture with nothing wrong passes
        Run dns = run("info", "--strict", capture.toString());
        assertThat(dns.code()).isEqualTo(ExitCodes.STRICT_PROBLEMS);
        assertThat(dns.out()).contains("dns/");
        Path clean = tmp.resolve("clean.pcap");
        Files.write(clean, CaptureBytes.Pcap.micro(1).record(1_600_000_002L, 500_000,
                Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, 100, 0, Packets.SYN, new byte[0])).bytes());
        assertThat(run("info", "--strict", clean.toString()).code()).isZero();
    }
}
