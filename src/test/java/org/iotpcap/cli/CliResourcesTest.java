package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory or disk ends with one line on stderr and {@link ExitCodes#RESOURCES} (docs/cli.md),
 * never a stack trace: in a child JVM, as a person runs the command.
 */
class CliResourcesTest {
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

    record Child(int code, String err) {}

    /** Runs Main in a new JVM with the given JVM options; stdout is thrown away. */
    private Child child(List<String> jvm, String... args) throws IOException, InterruptedException {
        return child(ProcessBuilder.Redirect.DISCARD, jvm, args);
    }

    private Child child(ProcessBuilder.Redirect stdout, List<String> jvm, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(org.iotpcap.testing.ChildJvm.command(jvm));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Path err = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout)
                .redirectError(err.toFile()).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child finished").isTrue();
        return new Child(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void outOfMemory_oneLine_exit6() throws Exception {
        // A text table keeps the rows it aligns: 20 million rows of four numbers cannot fit a 32 MiB heap.
        // Numbers, not text: DuckDB's driver builds VARCHAR values inside its native fetch, where a full heap
        // reaches Java as a NullPointerException with no cause; numbers are boxed by Java code, which sees
        // the OutOfMemoryError itself.
        Child c = child(List.of("-Xmx32m", "-XX:+UseSerialGC"), "query", capture.toString(),
                "SELECT range AS a, range + 1 AS b, range + 2 AS c, range + 3 AS d FROM range(20000000)");
        assertThat(c.code()).as(c.err()).isEqualTo(ExitCodes.RESOURCES);
        assertThat(c.err().strip().lines()).as(c.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("iotpcap: out of memory").contains("JAVA_OPTS=-Xmx"));
        assertThat(c.err()).doesNotContain("at org.").doesNotContain("\tat ");
    }

    @Test
    void diskFull_oneLine_exit6() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "no /dev/full on this system");
        // The export's file is a link to /dev/full, whose every write fails with ENOSPC.
        Path dir = Files.createDirectory(tmp.resolve("out"));
        Path link = Files.createSymbolicLink(dir.resolve("frames.csv"), full);
        Child c = child(List.of(), "export", capture.toString(), "--to", dir.toString(), "--format", "csv",
                "--tables", "frames");
        Files.delete(link);
        assertThat(c.code()).as(c.err()).isEqualTo(ExitCodes.RESOURCES);
        assertThat(c.err().strip().lines()).as(c.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("iotpcap: disk full").contains("No space left on device"));
        assertThat(c.err()).doesNotContain("at org.").doesNotContain("\tat ");
    }

    @Test
    void stdoutOnAFullDisk_oneLine_exit6() throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.exists(full), "no /dev/full on this system");
        Child c = child(ProcessBuilder.Redirect.to(full.toFile()), List.of(), "query", capture.toString(),
                "SELECT range AS n FROM range(100000)", "--format", "json");
        assertThat(c.code()).as(c.err()).isEqualTo(ExitCodes.RESOURCES);
        assertThat(c.err().strip().lines()).as(c.err()).singleElement()
                .satisfies(l -> assertThat(l).startsWith("iotpcap: standard output: disk full"));
    }
}
