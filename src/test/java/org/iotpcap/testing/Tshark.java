package org.iotpcap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs tshark, the reference dissector, and returns its fields per frame. The executable is {@code tshark} on the
 * PATH, or the one the system property {@code iotpcap.tshark} names. Tests that need a live tshark call
 * {@link #assumeAvailable()} so they are skipped, not failed, where it is missing; the skips carry
 * {@link #NOT_FOUND}, which {@link TsharkSkipReport} counts at the end of the run. Conformance tests on the
 * fixtures read tshark's checked-in output instead ({@link TsharkRecords}).
 */
public final class Tshark {
    private Tshark() {}

    /** The reason of every skip for want of tshark. */
    public static final String NOT_FOUND = "tshark not found";

    private static Boolean available;
    private static String version;

    /** The tshark command: the {@code iotpcap.tshark} system property, else {@code tshark} from the PATH. */
    public static String executable() {
        return System.getProperty("iotpcap.tshark", "tshark");
    }

    public static synchronized boolean available() {
        if (available == null) {
            try {
                // stderr (a warning when run as root) is not part of the version
                Process p = new ProcessBuilder(executable(), "--version")
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
                version = out.lines().findFirst().orElse("").strip();
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    /** The first line of {@code tshark --version}, e.g. "TShark (Wireshark) 4.0.17 (...)". */
    public static String version() {
        if (!available()) {
            throw new IllegalStateException(NOT_FOUND);
        }
        return version;
    }

    public static void assumeAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(available(), NOT_FOUND);
    }

    /**
     * {@code tshark -r FILE [options] -T fields -e f1 -e f2 ...}: one map per output line (field to raw value;
     * several occurrences of a field in one frame are joined by ',' as tshark does with -E aggregator=,).
     * Options typically include "-Y", "filter", "-o", "tcp.desegment_tcp_streams:TRUE", "-d", "udp.port==1885,mqttsn".
     */
    public static List<Map<String, String>> fields(Path capture, List<String> options, String... fields) {
        return rows(run(command(capture, options, List.of(fields))), List.of(fields));
    }

    /** The command {@link #fields} runs, with {@link #executable()} first. */
    public static List<String> command(Path capture, List<String> options, List<String> fields) {
        List<String> cmd = new ArrayList<>(List.of(executable(), "-n", "-r", capture.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return cmd;
    }

    /** {@code -T fields} output split into one map per non-empty line, field to raw value. */
    public static List<Map<String, String>> rows(String out, List<String> fields) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                row.put(fields.get(i), i < cols.length ? cols[i] : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Runs a command and returns its standard output; fails the test on a non-zero exit. */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("exit " + p.exitValue() + ": " + cmd);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
