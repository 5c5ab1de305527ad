package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors for people: every mistake gives one line on stderr starting {@code iotpcap: }, the exit code of
 * docs/cli.md, and no stack trace unless {@code --debug}. (Missing file, not-a-capture and unknown option are
 * in {@link InfoCommandTest}.)
 */
class CliErrorsTest {
    @TempDir
    Path tmp;

    private Path capture;

    @BeforeEach
    void writeCapture() throws Exception {
        byte[] udp = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.UDP,
                Packets.udp(40000, 1885, new byte[] {0x02, 0x16})));   // MQTT-SN PINGREQ
        capture = tmp.resolve("small.pcap");
        Files.write(capture, CaptureBytes.Pcap.micro(1).record(1_600_000_000L, 0, udp).bytes());
    }

    record Run(int code, String out, String err) {
        /** One line on stderr, no stack trace. */
        Run oneErrorLine() {
            assertThat(err.strip().lines()).as(err).hasSize(1);
            assertThat(err).startsWith("iotpcap: ").doesNotContain("\tat ").doesNotContain("Exception");
            return this;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void unknownCommand_saysTheClosestCommand() {
        Run r = run("qeury", capture.toString(), "SELECT 1").oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("qeury").contains("did you mean 'query'");
    }

    @Test
    void unknownAnalysis_saysTheClosestName() {
        Run r = run("run", "mqtt-will-first-levle", capture.toString()).oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("did you mean 'mqtt-will-first-level'");
    }

    @Test
    void unreadableFile_exit3() throws Exception {
        Path locked = tmp.resolve("locked.pcap");
        Files.copy(capture, locked);
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(locked), "running as a user who reads anything");
        Run r = run("info", locked.toString()).oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
        assertThat(r.err()).contains("permission denied");
    }

    @Test
    void notACapture_saysWhatItLooksLike_forEveryCommand() throws Exception {
        Path pdf = tmp.resolve("report.pcap");
        Files.writeString(pdf, "%PDF-1.7\n%...");
        for (String[] args : new String[][] {{"info", pdf.toString()}, {"query", pdf.toString(), "SELECT 1"},
            {"run", "mqttsn-to-local-broker", pdf.toString()}}) {
            Run r = run(args).oneErrorLine();
            assertThat(r.code()).isEqualTo(ExitCodes.INPUT);
            assertThat(r.err()).contains("a PDF document");
        }
    }

    @Test
    void badSetKeyOrValue_exit2_namesTheParameter() {
        Run noEquals = run("run", "mqttsn-to-local-broker", capture.toString(), "--set", "port").oneErrorLine();
        assertThat(noEquals.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(noEquals.err()).contains("KEY=VALUE");

        Run badKey = run("run", "mqttsn-to-local-broker", capture.toString(), "--set", "prot=1885").oneErrorLine();
        assertThat(badKey.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badKey.err()).contains("no parameter 'prot'").contains("port");

        Run badValue = run("run", "mqttsn-to-local-broker", capture.toString(), "--set", "port=http").oneErrorLine();
        assertThat(badValue.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badValue.err()).contains("port").contains("integer").contains("'http'");
    }

    @Test
    void unresolvableServerName_exit5() {
        Run r = run("run", "mqttsn-to-local-broker", capture.toString(), "--set", "broker=broker.example.org")
                .oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.UNRESOLVED_NAME);
        assertThat(r.err()).contains("broker.example.org").contains("no DNS answer");
    }

    @Test
    void sqlError_exit4_withDuckDbsMessageAndPosition() {
        Run r = run("query", capture.toString(), "SELECT frame FROM framez").oneErrorLine();
        assertThat(r.code()).isEqualTo(ExitCodes.SQL);
        assertThat(r.err()).contains("framez").containsIgnoringCase("line 1");

        Run syntax = run("query", capture.toString(), "SELEC 1").oneErrorLine();
        assertThat(syntax.code()).isEqualTo(ExitCodes.SQL);
        assertThat(syntax.err()).containsIgnoringCase("syntax error").contains("SELEC");
    }

    @Test
    void debug_addsTheStackTrace() {
        Run r = run("query", capture.toString(), "SELECT frame FROM framez", "--debug");
        assertThat(r.code()).isEqualTo(ExitCodes.SQL);
        assertThat(r.err()).startsWith("iotpcap: ").contains("\tat ");
    }
}
