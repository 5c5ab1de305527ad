package org.iotpcap.cli;

import java.util.ArrayList;
import java.util.List;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
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
    List<java.nio.file.Path> keyLogs = new ArrayList<>();

    @Option(names = "--psk", paramLabel = "IDENTITY:HEX",
            description = "decrypt DTLS sessions of a plain PSK suite (TLS_PSK_WITH_*, e.g. AES_128_CCM_8) whose "
                    + "client names this identity, with this pre-shared key in hex (repeatable)")
    List<String> psk = new ArrayList<>();

    @Option(names = "--strict", description = "exit with 1 when the capture is truncated or has malformed records")
    boolean strict;

    @Option(names = "--debug", description = "print stack traces of errors")
    boolean debug;

    /** The --keylog files; one that cannot be read is a usage error (exit 2), named, never its content. */
    List<java.nio.file.Path> keyLogs() {
        for (java.nio.file.Path p : keyLogs) {
            if (!java.nio.file.Files.isReadable(p)) {
                throw new UsageException("cannot read --keylog " + p);
            }
        }
        return keyLogs;
    }

    /** The --psk keys by identity; a bad one is a usage error naming the identity, never the key. */
    java.util.Map<String, byte[]> psks() {
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        for (String p : psk) {
            int colon = p.lastIndexOf(':');
            String identity = colon < 0 ? "" : p.substring(0, colon);
            try {
                byte[] key = java.util.HexFormat.of().parseHex(p.substring(colon + 1));
                if (colon < 0 || key.length == 0) {
                    throw new IllegalArgumentException("empty");
                }
                out.put(identity, key);
            } catch (IllegalArgumentException e) {
                throw new UsageException("bad --psk for identity '" + identity + "': expected IDENTITY:HEX");
            }
        }
        return out;
    }

    @Option(names = "--no-progress", description = "no progress line on stderr (shown only when stderr is a "
            + "terminal; IOTPCAP_PROGRESS=0 turns it off too)")
    boolean noProgress;

    /** The progress line of reading {@code input} (its size known unless it is standard input). */
    Progress progress(String task, String input) {
        if (noProgress) {
            return Progress.none();
        }
        long size = -1;
        if (!"-".equals(input)) {
            try {
                size = java.nio.file.Files.size(java.nio.file.Path.of(input));
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
