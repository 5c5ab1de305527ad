package org.iotpcap.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureFiles;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.MergingCaptureReader;
import org.iotpcap.capture.NotACaptureException;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.dissect.Protocol;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.dissect.tls.TlsSession;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.ip.IpAddress;
import org.iotpcap.ip.IpPacket;
import org.iotpcap.semantic.SemanticModel;
import org.iotpcap.semantic.tables.Frames;
import org.iotpcap.semantic.tables.Malformed;
import org.iotpcap.semantic.tables.TcpConnections;
import org.iotpcap.semantic.tables.TlsConnections;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;

/**
 * The one pass over a capture that every command makes: capture reader, engine (link, IP, UDP, TCP reassembly),
 * dissectors and, when tables are wanted, the semantic model with the {@code frames}, {@code malformed} and
 * {@code tcp_connections} rows. {@code info} runs it without tables; {@code query}, {@code run}, {@code index} and
 * {@code export} run it into a {@link TableSink}.
 *
 * <p>Every diagnostic of every layer (the capture file's own, such as {@code captured_above_snap_length}, the
 * engine's, the dissectors', and the semantic model's limits) is counted in the returned summary's
 * {@code malformed} map, which {@code info} prints and {@code --strict} honours, and written to {@code malformed}
 * when there are tables.
 */
public final class Pipeline {
    private Pipeline() {}

    /**
     * @param bindings decode-as bindings and heuristics
     * @param keepSecrets keep MQTT passwords (otherwise only presence and length)
     * @param limits every limit of every layer
     * @param progress told of the bytes read and frames decoded, every few thousand frames
     * @param keyLogs NSS key log files ({@code --keylog}) whose secrets decrypt TLS connections
     * @param psks DTLS pre-shared keys by identity ({@code --psk IDENTITY:HEX})
     * @param keyLogTexts NSS key logs given as their text, read elsewhere (iotpcap-spark's, through Hadoop)
     */
    public record Options(Bindings bindings, boolean keepSecrets, Limits limits, ProgressListener progress,
                          List<Path> keyLogs, Map<String, byte[]> psks, List<String> keyLogTexts) {
        public Options {
            keyLogs = List.copyOf(keyLogs);
            psks = Map.copyOf(psks);
            keyLogTexts = List.copyOf(keyLogTexts);
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits, ProgressListener progress,
                       List<Path> keyLogs, Map<String, byte[]> psks) {
            this(bindings, keepSecrets, limits, progress, keyLogs, psks, List.of());
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits, ProgressListener progress,
                       List<Path> keyLogs) {
            this(bindings, keepSecrets, limits, progress, keyLogs, Map.of());
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits, ProgressListener progress) {
            this(bindings, keepSecrets, limits, progress, List.of());
        }

        public Options withPsks(Map<String, byte[]> keys) {
            return new Options(bindings, keepSecrets, limits, progress, keyLogs, keys, keyLogTexts);
        }

        public Options withKeyLogTexts(List<String> texts) {
            return new Options(bindings, keepSecrets, limits, progress, keyLogs, psks, texts);
        }

        /** Never prints the keys. */
        @Override
        public String toString() {
            return "Options[bindings=" + bindings + ", keyLogs=" + keyLogs + ", psks=" + psks.keySet()
                    + ", keyLogTexts=" + keyLogTexts.size() + "]";
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits) {
            this(bindings, keepSecrets, limits, ProgressListener.NONE);
        }

        public Options withProgress(ProgressListener p) {
            return new Options(bindings, keepSecrets, limits, p, keyLogs, psks, keyLogTexts);
        }

        public Options withKeyLogs(List<Path> logs) {
            return new Options(bindings, keepSecrets, limits, progress, logs, psks, keyLogTexts);
        }
    }

    /** Told how far the pass has come. */
    @FunctionalInterface
    public interface ProgressListener {
        void progress(long bytesRead, long frames);

        ProgressListener NONE = (b, f) -> {};
    }

    /**
     * What one command reads: one capture, several independent captures, or several files that are one capture
     * ({@code continuous}, e.g. a dumpcap ring buffer).
     *
     * @param files the captures in the order given ({@code -} only alone)
     */
    public record Inputs(List<String> files, boolean continuous) {
        public Inputs {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no capture");
            }
        }

        public static Inputs of(String capture) {
            return new Inputs(List.of(capture), false);
        }

        /** Runs the pass(es) into {@code tables} (null: none): one summary per file, or one for a continuous set. */
        public List<Summary> run(Options options, TableSink tables) throws IOException {
            if (files.size() == 1) {
                return List.of(Pipeline.run(files.get(0), options, tables));
            }
            return continuous ? List.of(runContinuous(files, options, tables)) : runEach(files, options, tables);
        }
    }

    /** Frames between two progress reports. */
    static final int PROGRESS_FRAMES = 8192;

    /** Counts every diagnostic by "layer/reason" and passes it on. */
    private static final class Counting implements Diagnostics {
        final Map<String, Long> counts = new TreeMap<>();
        final Diagnostics next;

        Counting(Diagnostics next) {
            this.next = next;
        }

        @Override
        public void report(long frame, Layer layer, String reason, String detail) {
            counts.merge(layer.label() + "/" + reason, 1L, Long::sum);
            next.report(frame, layer, reason, detail);
        }
    }

    /** Decodes {@code capture} without tables: what {@code info} reports. */
    public static Summary summarize(String capture, Options options) throws IOException {
        return run(capture, options, null);
    }

    /**
     * Decodes {@code capture} and writes every table into {@code tables} (null: no tables), its rows' capture
     * column set to {@code capture}. The sink is not closed.
     */
    public static Summary run(String capture, Options options, TableSink tables) throws IOException {
        return run(capture, CaptureFiles.LOCAL, options, tables);
    }

    /** As {@link #run(String, Options, TableSink)}, the capture opened through {@code files}. */
    public static Summary run(String capture, CaptureFiles files, Options options, TableSink tables)
            throws IOException {
        return run(capture, files, options, tables, 0, 0);
    }

    /**
     * As {@link #run(String, CaptureFiles, Options, TableSink)}, TCP connections numbered from {@code tcpOffset}
     * and UDP flows from {@code udpOffset}: file k of a dataset read on its own, numbered as {@link #runEach}
     * numbers it (the offsets: the {@link #count} of the files before it).
     */
    public static Summary run(String capture, CaptureFiles files, Options options, TableSink tables, long tcpOffset,
                              long udpOffset) throws IOException {
        return pass(capture, d -> Captures.open(files.open(capture), d, options.limits()), options, tables,
                tcpOffset, udpOffset);
    }

    /**
     * What a pass over {@code capture} numbers and what its file says, as cheaply as a pass can: the capture
     * reader and the engine (link, IP, UDP flows, TCP reassembly) with no dissector, semantic model or table.
     * Its TCP connections and UDP flows are those of a full pass with the same limits (the engine alone numbers
     * them), so their sums over the files before file k are the offsets {@link #runEach} gives file k; its
     * warnings are the capture file's, as a full pass has them. Its {@code malformed} counts are only the capture
     * file's and the engine's (the dissectors' and the semantic model's need the full pass).
     */
    public static Summary count(String capture, CaptureFiles files, Limits limits) throws IOException {
        return count(d -> Captures.open(files.open(capture), d, limits), limits);
    }

    /** As {@link #count}, for several files read as one capture ({@link #runContinuous}). */
    public static Summary countContinuous(List<String> captures, CaptureFiles files, Limits limits)
            throws IOException {
        return count(d -> MergingCaptureReader.open(captures, files, d, limits), limits);
    }

    private static Summary count(Opener opener, Limits limits) throws IOException {
        Counting diagnostics = new Counting(Diagnostics.IGNORE);
        Summary summary;
        try (CaptureReader reader = opener.open(diagnostics)) {
            summary = Engine.builder().limits(limits).diagnostics(diagnostics).build().run(reader);
        }
        summary.malformed.clear();
        summary.malformed.putAll(diagnostics.counts);
        return summary;
    }

    /**
     * Decodes several captures, each on its own (the default for many files: independent captures), into one
     * sink: one pass per file, in the order given, every row's capture column naming its file. Frame numbers stay
     * per file, as tshark numbers them; TCP stream and UDP flow numbers continue from file to file (stream =
     * the TCP connections of the files before + tshark's {@code tcp.stream} in this file), so they are unique
     * across the dataset. Returns one summary per file.
     */
    public static List<Summary> runEach(List<String> captures, Options options, TableSink tables) throws IOException {
        List<Summary> out = new ArrayList<>();
        long tcp = 0;
        long udp = 0;
        long[] done = new long[2];
        long[] last = new long[2];
        for (String capture : captures) {
            // progress counts the bytes and frames of the files before on top of this one's
            Options each = options.withProgress((bytes, frames) -> {
                last[0] = bytes;
                last[1] = frames;
                options.progress().progress(done[0] + bytes, done[1] + frames);
            });
            Summary s;
            try {
                s = pass(capture, d -> Captures.open(capture, d, options.limits()), each, tables, tcp, udp);
            } catch (NotACaptureException e) {
                throw new NotACaptureException(capture + ": " + e.getMessage());
            }
            tcp += s.tcpConnections;
            udp += s.udpFlows;
            done[0] += last[0];
            done[1] += last[1];
            last[0] = 0;
            last[1] = 0;
            out.add(s);
        }
        return out;
    }

    /**
     * Decodes several files as one capture in time order ({@link MergingCaptureReader}, as mergecap merges
     * them): one pass, frames numbered across the files, so what runs on from one file into the next is one
     * connection, session or exchange. Every row's capture column holds the first file's name.
     */
    public static Summary runContinuous(List<String> captures, Options options, TableSink tables) throws IOException {
        return runContinuous(captures, CaptureFiles.LOCAL, options, tables);
    }

    /** As {@link #runContinuous(List, Options, TableSink)}, the files opened through {@code files}. */
    public static Summary runContinuous(List<String> captures, CaptureFiles files, Options options, TableSink tables)
            throws IOException {
        return pass(captures.get(0), d -> MergingCaptureReader.open(captures, files, d, options.limits()), options,
                tables, 0, 0);
    }

    /** Opens the reader of one pass, reporting the capture file's own problems to the pass's diagnostics. */
    @FunctionalInterface
    private interface Opener {
        CaptureReader open(Diagnostics diagnostics) throws IOException;
    }

    private static Summary pass(String capture, Opener opener, Options options, TableSink tables, long tcpOffset,
                                long udpOffset) throws IOException {
        Diagnostics toTable = Diagnostics.IGNORE;
        if (tables != null) {
            tables.capture(capture);
            RowWriter malformed = tables.writer(Malformed.T);
            Malformed m = Malformed.T;
            toTable = (frame, layer, reason, detail) -> malformed.begin().set(m.frame, frame)
                    .set(m.layer, layer.label()).set(m.reason, reason).set(m.detail, detail).end();
        }
        Counting diagnostics = new Counting(toTable);
        SemanticModel model = tables == null ? null
                : new SemanticModel(tables, options.keepSecrets(), options.limits().semantic(), diagnostics);
        TlsSecrets tlsSecrets = new TlsSecrets();
        for (Path keyLog : options.keyLogs()) {
            tlsSecrets.addKeyLog(Files.readString(keyLog, StandardCharsets.ISO_8859_1));
        }
        options.keyLogTexts().forEach(tlsSecrets::addKeyLog);
        options.psks().forEach(tlsSecrets::addPsk);
        Dissection dissection = new Dissection(options.bindings(), diagnostics,
                model == null ? MessageSink.NONE : model, options.keepSecrets(), options.limits(), tlsSecrets);
        Engine.Builder engine = Engine.builder().limits(options.limits()).diagnostics(diagnostics).onUdp(dissection)
                .streamOffsets(tcpOffset, udpOffset);
        Summary summary;
        Rows tablesRows = null;
        try (CaptureReader reader = opener.open(diagnostics)) {
            reader.onTlsKeyLog(tlsSecrets::addKeyLog);
            ProgressListener progress = options.progress();
            if (tables == null) {
                engine.onTcp(dissection);
                if (progress != ProgressListener.NONE) {
                    engine.onFrame(new Progress(reader, progress)::frame);
                }
            } else {
                Rows rows = new Rows(tables, dissection, reader, progress);
                engine.onTcp(rows).onFrame(rows);
                tablesRows = rows;
            }
            summary = engine.build().run(reader);
            progress.progress(reader.position(), summary.frames);
        }
        if (tablesRows != null) {
            tablesRows.dtlsRows();
        }
        if (model != null) {
            model.finish();
        }
        dissection.fill(summary);
        summary.malformed.clear();
        summary.malformed.putAll(diagnostics.counts);
        return summary;
    }

    /** Tells the listener how far the reader is, every {@link #PROGRESS_FRAMES} frames: the one cadence. */
    private static final class Progress {
        private final CaptureReader reader;
        private final ProgressListener listener;
        private int frames;

        Progress(CaptureReader reader, ProgressListener listener) {
            this.reader = reader;
            this.listener = listener;
        }

        void frame(CaptureRecord rec, IpPacket ip, int transport, int sp, int dp, long stream, TcpConnection c) {
            if (++frames == PROGRESS_FRAMES) {
                frames = 0;
                listener.progress(reader.position(), rec.frameNumber());
            }
        }
    }

    /** The frames and tcp_connections rows, around the dissection's TCP listener. */
    private static final class Rows implements TcpStreamListener, org.iotpcap.engine.FrameListener {
        private static final Frames F = Frames.T;
        private static final TcpConnections C = TcpConnections.T;
        private static final TlsConnections S = TlsConnections.T;

        private final RowWriter frames;
        private final RowWriter connections;
        private final RowWriter tls;
        private final Dissection dissection;
        private final Progress progress;

        Rows(TableSink tables, Dissection dissection, CaptureReader reader, ProgressListener progress) {
            this.frames = tables.writer(Frames.T);
            this.connections = tables.writer(TcpConnections.T);
            this.tls = tables.writer(TlsConnections.T);
            this.dissection = dissection;
            this.progress = new Progress(reader, progress);
        }

        @Override
        public void onOpen(TcpConnection c) {
            dissection.onOpen(c);
        }

        @Override
        public void onData(TcpConnection c, boolean fromClient, byte[] data, int off, int len, long frame, long ts) {
            dissection.onData(c, fromClient, data, off, len, frame, ts);
        }

        @Override
        public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
            dissection.onGap(c, fromClient, bytes, frame);
        }

        @Override
        public void onClose(TcpConnection c) {
            dissection.onClose(c);
            Protocol p = Dissection.protocolOf(c);
            connections.begin().set(C.stream, c.index()).set(C.client, c.client().address().toString())
                    .set(C.clientPort, c.client().port()).set(C.server, c.server().address().toString())
                    .set(C.serverPort, c.server().port()).set(C.handshake, c.handshakeSeen())
                    .set(C.firstFrame, c.firstFrame()).set(C.lastFrame, c.lastFrame())
                    .set(C.startNs, c.firstNanos()).set(C.endNs, c.lastNanos())
                    .set(C.bytesFromClient, c.bytes(true)).set(C.bytesFromServer, c.bytes(false))
                    .set(C.retransmissions, c.retransmissions(true) + c.retransmissions(false))
                    .set(C.gaps, c.gaps(true) + c.gaps(false)).set(C.endReason, c.closeReason().label())
                    .set(C.protocol, p == null ? null : p.label()).end();
            TlsSession t = Dissection.tlsOf(c);
            if (t != null) {
                tlsRow(c, t);
            }
        }

        /** One {@code tls_connections} row per DTLS association, at the end of the capture. */
        void dtlsRows() {
            for (Dissection.DtlsFlow f : dissection.dtlsFlows()) {
                RowWriter w = tls.begin().set(S.transport, "udp").set(S.stream, f.flow())
                        .set(S.client, f.client().address().toString()).set(S.clientPort, f.client().port())
                        .set(S.server, f.server().address().toString()).set(S.serverPort, f.server().port())
                        .set(S.firstFrame, f.firstFrame()).set(S.startNs, f.startNanos());
                summary(w, f.session(), f.session().decrypted() ? Protocol.COAP : null);
            }
        }

        /** The connection's {@code tls_connections} row: handshake facts and decryption outcome, no key material. */
        private void tlsRow(TcpConnection c, TlsSession t) {
            RowWriter w = tls.begin().set(S.transport, "tcp").set(S.stream, c.index())
                    .set(S.client, c.client().address().toString())
                    .set(S.clientPort, c.client().port()).set(S.server, c.server().address().toString())
                    .set(S.serverPort, c.server().port()).set(S.firstFrame, c.firstFrame())
                    .set(S.startNs, c.firstNanos());
            summary(w, t, Dissection.innerProtocolOf(c));
        }

        private void summary(RowWriter w, org.iotpcap.dissect.tls.TlsSummary t, Protocol inner) {
            w.set(S.version, t.versionText())
                    .set(S.alpnSelected, t.alpnSelected())
                    .set(S.bytesFromClient, t.bytes(true)).set(S.bytesFromServer, t.bytes(false))
                    .set(S.recordsFromClient, t.records(true)).set(S.recordsFromServer, t.records(false))
                    .set(S.decrypted, t.decrypted()).set(S.notDecryptedReason, t.notDecryptedReason())
                    .set(S.plaintextFromClient, t.plaintextBytes(true)).set(S.plaintextFromServer, t.plaintextBytes(false))
                    .set(S.keyUpdatesFromClient, t.keyUpdates(true)).set(S.keyUpdatesFromServer, t.keyUpdates(false));
            if (t.clientHello() != null) {
                w.set(S.sni, t.clientHello().serverName())
                        .set(S.ja4, org.iotpcap.dissect.tls.Ja4.of(t.clientHello(), t.dtls()));
                if (!t.clientHello().alpn().isEmpty()) {
                    w.set(S.alpn, String.join(",", t.clientHello().alpn()));
                }
            }
            if (t.serverHello() != null) {
                w.set(S.cipherSuiteId, t.serverHello().cipherSuite())
                        .set(S.cipherSuite, org.iotpcap.dissect.tls.TlsCipherSuite.name(t.serverHello().cipherSuite()));
            }
            if (t.certificate() != null) {
                w.set(S.certSubject, t.certificate().subject()).set(S.certIssuer, t.certificate().issuer())
                        .set(S.certNotBeforeNs, t.certificate().notBeforeMillis() * 1_000_000L)
                        .set(S.certNotAfterNs, t.certificate().notAfterMillis() * 1_000_000L);
            }
            if (inner != null) {
                w.set(S.innerProtocol, inner.label());
            }
            w.end();
        }

        @Override
        public void onFrame(CaptureRecord rec, IpPacket ip, int transport, int sp, int dp, long stream,
                            TcpConnection conn) {
            progress.frame(rec, ip, transport, sp, dp, stream, conn);
            if (!frames.enabled()) {
                return;
            }
            RowWriter w = frames.begin().set(F.frame, rec.frameNumber()).set(F.timeNs, rec.timestampNanos())
                    .set(F.iface, rec.interfaceId()).set(F.capLen, rec.capturedLength()).set(F.len, rec.originalLength());
            if (ip != null) {
                w.set(F.ipVersion, ip.version).set(F.src, IpAddress.text(ip.srcHi, ip.srcLo, ip.version == 4))
                        .set(F.dst, IpAddress.text(ip.dstHi, ip.dstLo, ip.version == 4));
            }
            String t = transportName(transport);
            if (t != null) {
                w.set(F.transport, t).set(F.srcPort, sp).set(F.dstPort, dp);
            }
            if (stream >= 0) {
                w.set(F.stream, stream);
            }
            Protocol p = null;
            if (transport == 17 && stream >= 0) {
                p = dissection.lastUdpProtocol();
            } else if (conn != null) {
                p = Dissection.protocolOf(conn);
            }
            if (p != null) {
                w.set(F.protocol, p.label());
            }
            w.end();
        }

        private static String transportName(int transport) {
            return switch (transport) {
                case 6 -> "tcp";
                case 17 -> "udp";
                case 1 -> "icmp";
                case 58 -> "icmpv6";
                case -1 -> null;
                default -> TRANSPORT_NAMES[transport & 0xff];
            };
        }

        private static final String[] TRANSPORT_NAMES = new String[256];

        static {
            for (int i = 0; i < 256; i++) {
                TRANSPORT_NAMES[i] = "ip-proto-" + i;
            }
        }
    }
}
