package org.iotpcap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.pipeline.Pipeline;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Options of every command that reads a capture. */
final class InputOptions {
    @Option(names = "--decode", paramLabel = "BINDING", converter = BindingConverter.class,
            description = "decode traffic on a port as a protocol, like tshark's -d: udp.port==5000:coap, "
                    + "tcp.port==1884:mqtt, udp.port==1886:mqttsn (repeatable)")
    List<Binding> decode = new ArrayList<>();

    @Option(names = "--no-heuristics", description = "recognise protocols by port and --decode only "
            + "(by default MQTT is also recognised by a CONNECT on any TCP port, CoAP by strict validity on any UDP port)")
    boolean noHeuristics;

    @Option(names = "--keep-secrets", description = "keep MQTT passwords in the tables (by default only their presence and length)")
    boolean keepSecrets;

    @Option(names = "--keylog", paramLabel = "FILE",
            description = "decrypt TLS with this NSS key log (SSLKEYLOGFILE format, as browsers, Python, curl, Go "
                    + "and Node write it); secrets injected into a pcapng by editcap --inject-secrets are used "
                    + "without it (repeatable)")
    List<String> keyLogs = new ArrayList<>();

    @Option(names = "--psk", paramLabel = "IDENTITY:HEX",
            description = "decrypt DTLS sessions of a plain PSK suite (TLS_PSK_WITH_*, e.g. AES_128_CCM_8) whose "
                    + "client names this identity, with this pre-shared key in hex (repeatable)")
    List<String> psk = new ArrayList<>();

    @Option(names = "--strict", description = "exit with 1 when the capture is truncated or has malformed records")
    boolean strict;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    @Option(names = "--continuous", description = "read several files as one capture in time order, as mergecap "
            + "merges them (a ring buffer of dumpcap -b): what runs on from one file into the next is one connection "
            + "or session; by default several files are independent captures")
    boolean continuous;

    /** File name endings a directory argument contributes (gzip-compressed captures included). */
    static final List<String> CAPTURE_ENDINGS = org.iotpcap.capture.Captures.FILE_ENDINGS;

    /**
     * The captures the arguments name, in order: a file as given; {@code -} (standard input, only alone); a
     * directory: every *.pcap, *.pcapng, *.cap and *.gz file under it, sorted by path; a glob the shell did not
     * expand (quoted, or matching nothing to the shell): its matches, sorted. A directory or glob matching nothing
     * is an input error.
     */
    static List<String> expand(List<String> args) throws IOException {
        List<String> out = new ArrayList<>();
        for (String a : args) {
            if ("-".equals(a)) {
                if (args.size() > 1) {
                    throw new UsageException("standard input (-) is read alone, not with other captures");
                }
                out.add(a);
            } else if (Files.isDirectory(Path.of(a))) {
                List<String> found = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(Path.of(a))) {
                    walk.filter(Files::isRegularFile).filter(InputOptions::looksLikeCapture)
                            .map(Path::toString).sorted().forEach(found::add);
                }
                if (found.isEmpty()) {
                    throw new NoSuchFileException(a, null, "directory holds no *.pcap, *.pcapng, *.cap or *.gz file");
                }
                out.addAll(found);
            } else if (!Files.exists(Path.of(a)) && isGlob(a)) {
                out.addAll(glob(a));
            } else {
                out.add(a);
            }
        }
        return out;
    }

    /** The --keylog files; one that cannot be read is a usage error (exit 2), named, never its content. */
    List<java.nio.file.Path> keyLogs() {
        List<java.nio.file.Path> out = new ArrayList<>();
        for (String k : keyLogs) {
            java.nio.file.Path p = java.nio.file.Path.of(k);
            if (!java.nio.file.Files.isReadable(p)) {
                throw new UsageException("cannot read --keylog " + p);
            }
            out.add(p);
        }
        return out;
    }

    /** The --psk keys by identity; a bad one is a usage error naming the identity, never the key. */
    java.util.Map<String, byte[]> psks() {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        for (String p : psk) {
            try {
                java.util.Map.Entry<String, byte[]> e = org.iotpcap.dissect.tls.TlsSecrets.parsePsk(p);
                out.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad --psk " + e.getMessage());
            }
        }
        return out;
    }

    private static boolean looksLikeCapture(Path p) {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return CAPTURE_ENDINGS.stream().anyMatch(n::endsWith);
    }

    private static boolean isGlob(String a) {
        return a.indexOf('*') >= 0 || a.indexOf('?') >= 0 || a.indexOf('[') >= 0 || a.indexOf('{') >= 0;
    }

    /** The files a glob matches: the pattern applies below its longest directory prefix free of glob characters. */
    private static List<String> glob(String pattern) throws IOException {
        int cut = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                break;
            }
            if (c == '/') {
                cut = i + 1;
            }
        }
        boolean relative = cut == 0;
        Path base = Path.of(relative ? "." : pattern.substring(0, cut));
        PathMatcher m = base.getFileSystem().getPathMatcher("glob:" + pattern.substring(cut));
        List<String> found = new ArrayList<>();
        if (Files.isDirectory(base)) {
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isRegularFile).filter(p -> m.matches(base.relativize(p)))
                        .map(p -> relative ? base.relativize(p).toString() : p.toString()).sorted().forEach(found::add);
            }
        }
        if (found.isEmpty()) {
            throw new NoSuchFileException(pattern, null, "no file matches");
        }
        return found;
    }

    /**
     * The one input of a command that reads a single capture ({@code report}, {@code extract}): the arguments
     * expanded, and more than one capture (several arguments, a directory or glob of several) is a usage error.
     */
    static String single(String command, List<String> args) throws IOException {
        List<String> all = expand(args);
        if (all.size() > 1) {
            throw new UsageException(command + " reads one capture, not " + all.size()
                    + " (run and query read several)");
        }
        return all.get(0);
    }

    /** The arguments as one command's input: expanded, with {@code --continuous}. */
    Pipeline.Inputs inputs(List<String> args) throws IOException {
        return new Pipeline.Inputs(expand(args), continuous);
    }

    @Option(names = "--no-progress", description = "no progress line on stderr (shown only when stderr is a "
            + "terminal; IOTPCAP_PROGRESS=0 turns it off too)")
    boolean noProgress;

    /** The progress line of reading {@code input} (its size known unless it is standard input). */
    Progress progress(String task, String input) {
        return progress(task, List.of(input));
    }

    /** The progress line of reading several captures one after another (their sizes added up). */
    Progress progress(String task, List<String> inputs) {
        if (noProgress) {
            return Progress.none();
        }
        long size = 0;
        for (String input : inputs) {
            if ("-".equals(input) || size < 0) {
                size = -1;
                continue;
            }
            try {
                size += java.nio.file.Files.size(java.nio.file.Path.of(input));
            } catch (java.io.IOException | RuntimeException e) {
                size = -1;
            }
        }
        return Progress.start(task, size);
    }

    /** Adds bindings an analysis needs (those already given are not repeated). */
    void add(List<Binding> bindings) {
        for (Binding b : bindings) {
            if (!decode.contains(b)) {
                decode.add(b);
            }
        }
    }

    Bindings bindings() {
        return new Bindings(decode, noHeuristics ? Heuristics.NONE : Heuristics.DEFAULTS);
    }

    /** {@code --decode} text as {@link Binding#parse} reads it; its message is the one-line error. */
    static final class BindingConverter implements CommandLine.ITypeConverter<Binding> {
        @Override
        public Binding convert(String value) {
            try {
                return Binding.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
