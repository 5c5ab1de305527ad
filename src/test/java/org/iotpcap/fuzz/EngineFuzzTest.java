package org.iotpcap.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;

/**
 * Link, IP (with fragment reassembly), UDP, TCP (with stream reassembly) and the dissectors behind them, run
 * by the {@link Engine} over a pcap (link type RAW, 101) whose packets the fuzzer builds. Each packet is either
 * raw fuzzer bytes or an IPv4/IPv6 TCP segment, UDP datagram or IPv4 fragment whose header fields (addresses
 * from a small set so flows repeat, ports among the protocols' ports, sequence numbers near the connection's
 * start or anywhere, flags, fragment offsets) and payload come from the fuzzer. Fails on an escaping exception,
 * stream bytes outside their array, diagnostics naming frames that do not exist, or counts that disagree.
 */
class EngineFuzzTest {
    private static final String[] V4 = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
    private static final String[] V6 = {"2001:db8::1", "2001:db8::2"};
    private static final int[] PORTS = {1883, 53, 5683, 1885, 5353, 40000, 40001};

    @FuzzTest(maxDuration = "10s")
    void rawIpCapture(byte[] data) throws Exception {
        FuzzInput in = new FuzzInput(data);
        int settings = in.u8();
        Limits limits = (settings & 1) != 0
                ? Limits.DEFAULTS.withTcpBuffers(256, 1024).withTcpMaxConnections(3).withFragments(1_000_000_000L, 600, 2)
                : Limits.DEFAULTS;
        boolean keepSecrets = (settings & 2) != 0;
        CaptureBytes.Pcap pcap = CaptureBytes.Pcap.micro(101);
        long[] isn = {1000, 2_147_483_000L, 4_294_967_000L};
        int packets = 0;
        while (in.remaining() > 0 && packets < 200) {
            packets++;
            int kind = in.intIn(0, 4);
            byte[] packet = switch (kind) {
                case 0 -> in.bytes(in.intIn(0, 300));
                case 1 -> {
                    int a = in.intIn(0, V4.length - 1);
                    int b = in.intIn(0, V4.length - 1);
                    int sp = PORTS[in.intIn(0, PORTS.length - 1)];
                    int dp = PORTS[in.intIn(0, PORTS.length - 1)];
                    long seq = in.bool() ? isn[in.intIn(0, 2)] + in.intIn(-100, 2000)
                            : in.u32();
                    long ack = in.bool() ? isn[in.intIn(0, 2)] + in.intIn(-100, 2000)
                            : in.u32();
                    int flags = in.u8() & 0x3f;
                    byte[] payload = in.bytes(in.intIn(0, 200));
                    yield Packets.ipv4(V4[a], V4[b], Packets.TCP,
                            Packets.tcp(V4[a], V4[b], sp, dp, seq & 0xffffffffL, ack & 0xffffffffL, flags, payload));
                }
                case 2 -> {
                    int a = in.intIn(0, V4.length - 1);
                    int sp = PORTS[in.intIn(0, PORTS.length - 1)];
                    int dp = PORTS[in.intIn(0, PORTS.length - 1)];
                    byte[] payload = in.bytes(in.intIn(0, 300));
                    yield Packets.ipv4(V4[a], V4[(a + 1) % V4.length], Packets.UDP, Packets.udp(sp, dp, payload));
                }
                case 3 -> {
                    int id = in.intIn(0, 3);
                    int offsetUnits = in.intIn(0, 200);
                    boolean more = in.bool();
                    int proto = in.bool() ? Packets.UDP : Packets.TCP;
                    byte[] payload = in.bytes(in.intIn(0, 300));
                    yield Packets.ipv4(V4[0], V4[1], proto, id, (more ? 0x2000 : 0) | offsetUnits, new byte[0], payload);
                }
                default -> {
                    int a = in.intIn(0, 1);
                    int sp = PORTS[in.intIn(0, PORTS.length - 1)];
                    int dp = PORTS[in.intIn(0, PORTS.length - 1)];
                    byte[] payload = in.bytes(in.intIn(0, 300));
                    int next = in.intIn(0, 3);
                    byte[] after = switch (next) {
                        case 0 -> Packets.udp(sp, dp, payload);
                        case 1 -> Packets.concat(Packets.ipv6Fragment(17, in.intIn(0, 100) * 8,
                                in.bool(), in.intIn(0, 3)), Packets.udp(sp, dp, payload));
                        case 2 -> Packets.concat(Packets.ipv6Options(17, in.intIn(0, 3)), Packets.udp(sp, dp, payload));
                        default -> payload;
                    };
                    yield Packets.ipv6(V6[a], V6[1 - a], next == 1 ? 44 : next == 2 ? 0 : next == 0 ? 17 : in.intIn(0, 255), after);
                }
            };
            // a snap length the fuzzer picks cuts some packets short
            int cut = in.intIn(0, 7) == 0 ? in.intIn(0, packet.length) : packet.length;
            pcap.record(packets, 0, java.util.Arrays.copyOf(packet, cut), packet.length);
        }
        run(pcap.bytes(), limits, keepSecrets, packets);
    }

    static void run(byte[] capture, Limits limits, boolean keepSecrets, int frames) throws Exception {
        FuzzChecks.withinBudget((8L << 20) + 200L * capture.length, "the engine",
                () -> runOnce(capture, limits, keepSecrets, frames));
    }

    static Summary runOnce(byte[] capture, Limits limits, boolean keepSecrets, int frames) throws IOException {
        Diagnostics diag = (frame, layer, reason, detail) -> FuzzChecks.check(frame >= 0 && frame <= frames
                && layer != null && reason != null && detail != null, "diagnostic " + frame + " " + layer + " "
                + reason + " " + detail);
        Dissection dissection = new Dissection(Bindings.defaults(), diag, MessageSink.NONE, keepSecrets);
        TcpStreamListener checked = new TcpStreamListener() {
            @Override
            public void onOpen(TcpConnection c) {
                dissection.onOpen(c);
            }

            @Override
            public void onData(TcpConnection c, boolean fromClient, byte[] data, int off, int len, long frame, long ts) {
                FuzzChecks.check(off >= 0 && len > 0 && off + (long) len <= data.length,
                        "stream bytes " + off + "+" + len + " outside an array of " + data.length);
                FuzzChecks.check(frame >= 1 && frame <= frames, "data of frame " + frame);
                dissection.onData(c, fromClient, data, off, len, frame, ts);
            }

            @Override
            public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                FuzzChecks.check(bytes > 0, "gap of " + bytes + " bytes");
                dissection.onGap(c, fromClient, bytes, frame);
            }

            @Override
            public void onClose(TcpConnection c) {
                dissection.onClose(c);
            }
        };
        Summary s;
        try (CaptureReader reader = Captures.open(new ByteArrayInputStream(capture), diag, limits)) {
            s = Engine.builder().limits(limits).diagnostics(diag).onUdp(dissection).onTcp(checked).build().run(reader);
        }
        FuzzChecks.check(s.frames == frames, "frames " + s.frames + " of " + frames);
        FuzzChecks.check(s.tcpConnectionsEvicted <= s.tcpConnections, "evicted more connections than seen");
        return s;
    }
}
