package org.iotpcap.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The captures every conformance test runs on: the fixtures made by {@code fixtures/generate}, and, when the
 * folder exists beside the repository, every capture under {@code ../shared/captures/} (subfolders included).
 * Each comes with the tshark decode-as options it needs (MANIFEST.md names them), which iotpcap gets as
 * the matching {@code --decode} bindings. The fixtures must be there (the tests fail otherwise); the shared
 * captures may be absent.
 */
public final class TestCaptures {
    private TestCaptures() {}

    public static final Path FIXTURES = Path.of("fixtures", "captures");
    public static final Path SHARED = Path.of("..", "shared", "captures");

    /**
     * One capture and the tshark options it needs beyond the defaults: decode-as bindings ({@code -d}) and
     * preferences ({@code -o}, such as {@code tls.keylog_file:FILE} for a capture decrypted with its key log).
     */
    public record TestCapture(Path path, List<String> decodeAs, List<String> preferences) {
        public TestCapture(Path path, List<String> decodeAs) {
            this(path, decodeAs, List.of());
        }

        /** tshark options: desegmentation on, MQTT-SN on 1885, plus this capture's bindings and preferences. */
        public List<String> tsharkOptions() {
            List<String> o = new ArrayList<>(List.of("-o", "tcp.desegment_tcp_streams:TRUE", "-d", "udp.port==1885,mqttsn"));
            for (String d : decodeAs) {
                o.add("-d");
                o.add(d);
            }
            for (String p : preferences) {
                o.add("-o");
                o.add(p);
            }
            return o;
        }

        /** The same bindings in iotpcap's syntax ({@code tcp.port==17501:mqtt}). */
        public List<String> iotpcapDecode() {
            return decodeAs.stream().map(d -> d.replace(',', ':')).toList();
        }

        @Override
        public String toString() {
            return path.getFileName().toString();
        }
    }

    /**
     * The fixture captures; fails (never an empty list) when {@code fixtures/captures} is not found from the
     * working directory or holds none, so a test over them cannot pass having run nothing.
     */
    public static List<TestCapture> fixtures() {
        if (!Files.isDirectory(FIXTURES)) {
            throw new AssertionError(FIXTURES + " not found from the working directory "
                    + Path.of("").toAbsolutePath() + ": run the tests from the repository root");
        }
        List<TestCapture> found = list(FIXTURES);
        if (found.isEmpty()) {
            throw new AssertionError("no capture in " + FIXTURES + ": run fixtures/generate");
        }
        return found;
    }

    public static List<TestCapture> shared() {
        return list(SHARED);
    }

    /** The fixtures then the shared captures: never empty. */
    public static List<TestCapture> all() {
        List<TestCapture> all = new ArrayList<>(fixtures());
        all.addAll(shared());
        return all;
    }

    private static List<TestCapture> list(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().matches(".*\\.(pcap|pcapng|cap)(\\.gz)?$"))
                    .sorted()
                    .map(p -> new TestCapture(p, decodeAs(p)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decode-as bindings that MANIFEST.md names for the shared captures, and those of the fixtures on ports tshark
     * does not know (mqtt-sessions: mosquitto on 11883, fixtures/generate phase_sessions).
     */
    private static List<String> decodeAs(Path p) {
        String name = p.getFileName().toString();
        if (name.equals("mqtt-sessions.pcapng")) {
            return List.of("tcp.port==11883,mqtt");
        }
        if (name.equals("ndpi-coap_mqtt.pcap")) {
            return List.of("tcp.port==17501,mqtt");
        }
        return List.of();
    }
}
