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
import org.iotpcap.semantic.SemanticModel;
import org.iotpcap.semantic.Table;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;

/** One pass over a capture: engine, dissectors and semantic model, with every table written to a database. */
public final class CaptureLoader {
    private CaptureLoader() {}

    /** @param keepSecrets keep MQTT passwords (otherwise only presence and length) */
    public record Options(Bindings bindings, boolean keepSecrets, Limits limits) {
        public Options(Bindings bindings, boolean keepSecrets) {
            this(bindings, keepSecrets, Limits.DEFAULTS);
        }
    }

    public static Summary load(String capture, Options options, Database db) throws IOException, SQLException {
        Summary summary;
        try (TableWriter writer = new TableWriter(db)) {
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
                    writer.row(Table.TCP_CONNECTIONS, c.index(), c.client().address().toString(), c.client().port(),
                            c.server().address().toString(), c.server().port(), c.handshakeSeen(), c.firstFrame(),
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
                            frame(writer, dissection, rec, ip, transport, sp, dp, stream, conn))
                    .build();
            try (CaptureReader reader = Captures.open(capture, diagnostics, options.limits())) {
                summary = engine.run(reader);
            }
            model.finish();
            dissection.fill(summary);
        }
        db.derive();
        return summary;
    }

    private static void frame(TableWriter w, Dissection d, org.iotpcap.capture.CaptureRecord rec, IpPacket ip,
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
                ip == null ? 0 : ip.version, ip == null ? null : ip.src().toString(), ip == null ? null : ip.dst().toString(),
                t, sp, dp, stream, protocol);
    }
}
