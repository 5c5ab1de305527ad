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
 * Runs tshark, the reference dissector, and returns its fields per frame. Tests that need it call
 * {@link #assumeAvailable()} so they are skipped, not failed, where tshark is missing.
 */
public final class Tshark {
    private Tshark() {}

    private static Boolean available;

    public static synchronized boolean available() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        return available;
    }

    public static void assumeAvailable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(available(), "tshark is not installed");
    }

    /**
     * {@code tshark -r FILE [options] -T fields -e f1 -e f2 ...}: one map per output line (field to raw value;
     * several occurrences of a field in one frame are joined by ',' as tshark does with -E aggregator=,).
     * Options typically include "-Y", "filter", "-o", "tcp.desegment_tcp_streams:TRUE", "-d", "udp.port==1885,mqttsn".
     */
    public static List<Map<String, String>> fields(Path capture, List<String> options, String... fields) {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        String out = run(cmd);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < fields.length; i++) {
                row.put(fields[i], i < cols.length ? cols[i] : "");
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
