package org.iotpcap.sql;

import java.io.IOException;
import java.sql.SQLException;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.Protocol;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.ip.IpPacket;
import org.iotpcap.semantic.ModelSink;
import org.iotpcap.semantic.SemanticModel;
import org.iotpcap.semantic.Table;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;

/** One pass over a capture: engine, dissectors and semantic model, with every table written to a database. */
public final class CaptureLoader {
    private CaptureLoader() {}

    /**
     * @param keepSecrets keep MQTT passwords (otherwise only presence and length)
     * @param parallel append to DuckDB on a second thread ({@link AsyncModelSink}); the tables are the same
     * @param tables the tables to fill (null: all); the others stay empty, which saves the loading time of rows
     *     no question will read (the frames table is most of the rows)
     */
    public record Options(Bindings bindings, boolean keepSecrets, Limits limits, boolean parallel,
                          java.util.Set<Table> tables) {
        public Options(Bindings bindings, boolean keepSecrets) {
            this(bindings, keepSecrets, Limits.DEFAULTS);
        }

        public Options(Bindings bindings, boolean keepSecrets, Limits limits) {
            this(bindings, keepSecrets, limits, defaultParallel(), null);
        }

        public Options withParallel(boolean p) {
            return new Options(bindings, keepSecrets, limits, p, tables);
        }

        public Options withTables(java.util.Set<Table> only) {
            return new Options(bindings, keepSecrets, limits, parallel, only == null ? null : java.util.Set.copyOf(only));
        }
    }

    /** Passes on the rows of the chosen tables only. */
    private record OnlyTables(ModelSink sink, java.util.Set<Table> keep) implements ModelSink {
        @Override
        public void row(Table table, Object... values) {
            if (keep.contains(table)) {
                sink.row(table, values);
            }
        }

        @Override
        public void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src,
                          String dst, String transport, int srcPort, int dstPort, long stream, String protocol) {
            if (keep.contains(Table.FRAMES)) {
                sink.frame(frame, nanos, iface, capLen, len, ipVersion, src, dst, transport, srcPort, dstPort, stream,
                        protocol);
            }
        }
    }

    /** Two threads when there are two cores, unless {@code -Diotpcap.threads=1}. */
    static boolean defaultParallel() {
        String t = System.getProperty("iotpcap.threads");
        if (t != null) {
            return !t.strip().equals("1");
        }
        return Runtime.getRuntime().availableProcessors() > 1;
    }

    public static Summary load(String capture, Options options, Database db) throws IOException, SQLException {
        // One transaction for the whole load: DuckDB's Java Appender flushes every 2048 rows, and outside a
        // transaction each flush is a commit of its own (most of the loading time before this).
        java.sql.Connection conn = db.connection();
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            Summary s = loadInTransaction(capture, options, db);
            conn.commit();
            db.derive();
            return s;
        } catch (IOException | SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    private static Summary loadInTransaction(String capture, Options options, Database db) throws IOException, SQLException {
        try (TableWriter tables = new TableWriter(db)) {
            ModelSink target = options.tables() == null ? tables : new OnlyTables(tables, options.tables());
            AsyncModelSink async = options.parallel() ? new AsyncModelSink(target) : null;
            try {
                return loadInto(capture, options, async != null ? async : target);
            } finally {
                if (async != null) {
                    async.close();
                }
            }
        }
    }

    private static Summary loadInto(String capture, Options options, ModelSink writer) throws IOException {
        Summary summary;
        {
            AddressText text = new AddressText();
            Diagnostics diagnostics = (frame, layer, reason, detail) ->
                    writer.row(Table.MALFORMED, frame, layer.label(), reason, detail);
            SemanticModel model = new SemanticModel(writer, options.keepSecrets());
            Dissection dissection = new Dissection(options.bindings(), diagnostics, model, options.keepSecrets());
            TcpStreamListener tcp = new TcpStreamListener() {
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
                    writer.row(Table.TCP_CONNECTIONS, c.index(), text.of(c.client().address()), c.client().port(),
                            text.of(c.server().address()), c.server().port(), c.handshakeSeen(), c.firstFrame(),
                            c.lastFrame(), c.firstNanos(), c.lastNanos(), c.bytes(true), c.bytes(false),
                            c.retransmissions(true) + c.retransmissions(false), c.gaps(true) + c.gaps(false),
                            c.closeReason().label(), p == null ? null : p.label());
                }
            };
            Engine engine = Engine.builder()
                    .limits(options.limits())
                    .diagnostics(diagnostics)
                    .onUdp(dissection)
                    .onTcp(tcp)
                    .onFrame((rec, ip, transport, sp, dp, stream, conn) ->
                            frame(writer, text, dissection, rec, ip, transport, sp, dp, stream, conn))
                    .build();
            try (CaptureReader reader = Captures.open(capture, diagnostics, options.limits())) {
                summary = engine.run(reader);
            }
            model.finish();
            dissection.fill(summary);
        }
        return summary;
    }

    private static void frame(ModelSink w, AddressText text, Dissection d, org.iotpcap.capture.CaptureRecord rec, IpPacket ip,
                              int transport, int sp, int dp, long stream, TcpConnection conn) {
        String t = switch (transport) {
            case 6 -> "tcp";
            case 17 -> "udp";
            case 1 -> "icmp";
            case 58 -> "icmpv6";
            case -1 -> null;
            default -> "ip-proto-" + transport;
        };
        String protocol = null;
        if (transport == 17 && stream >= 0) {
            Protocol p = d.lastUdpProtocol();
            protocol = p == null ? null : p.label();
        } else if (conn != null) {
            Protocol p = Dissection.protocolOf(conn);
            protocol = p == null ? null : p.label();
        }
        w.frame(rec.frameNumber(), rec.timestampNanos(), rec.interfaceId(), rec.capturedLength(), rec.originalLength(),
                ip == null ? 0 : ip.version, ip == null ? null : text.of(ip.srcHi, ip.srcLo, ip.version == 4),
                ip == null ? null : text.of(ip.dstHi, ip.dstLo, ip.version == 4),
                t, sp, dp, stream, protocol);
    }
}
