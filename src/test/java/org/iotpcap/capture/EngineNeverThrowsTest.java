package org.iotpcap.capture;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.engine.Engine;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;

/**
 * Reading and running the engine never throws on any bytes once a capture is recognised: random bodies after
 * a valid header, and valid captures with one byte changed. Only {@link NotACaptureException} at open is allowed.
 */
class EngineNeverThrowsTest {

    /** A small valid capture with IPv4/IPv6 fragments and a TCP exchange, in pcap or pcapng. */
    static byte[] valid(boolean ng) {
        byte[][] frames = {
            Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, 1, 0, Packets.SYN, new byte[0]),
            Packets.ethTcp("10.0.0.2", 1883, "10.0.0.1", 40000, 9, 2, Packets.SYN | Packets.ACK, new byte[0]),
            Packets.ethTcp("10.0.0.1", 40000, "10.0.0.2", 1883, 2, 10, Packets.ACK, new byte[] {0x10, 2, 0, 4}),
            Packets.ethernet(0x0800, Packets.ipv4("192.0.2.1", "192.0.2.2", 17, 5, 0x2000, new byte[0],
                    Packets.udp(1, 2, new byte[16]))),
            Packets.ethernet(0x86DD, Packets.ipv6("2001:db8::1", "2001:db8::2", 44, Packets.concat(
                    Packets.ipv6Fragment(17, 0, true, 9), Packets.udp(1, 2, new byte[8])))),
        };
        if (ng) {
            CaptureBytes.Pcapng p = CaptureBytes.Pcapng.le();
            p.interfaceBlock(1, 65535, p.tsresol(9));
            for (int i = 0; i < frames.length; i++) {
                p.epb(0, 1_000_000_000L * i, frames[i]);
            }
            return p.bytes();
        }
        CaptureBytes.Pcap p = CaptureBytes.Pcap.micro(1);
        for (int i = 0; i < frames.length; i++) {
            p.record(i, 0, frames[i]);
        }
        return p.bytes();
    }

    static void run(byte[] capture) throws IOException {
        CaptureReader r;
        try {
            r = Captures.open(new ByteArrayInputStream(capture), Diagnostics.IGNORE, Limits.DEFAULTS);
        } catch (NotACaptureException e) {
            return;
        }
        try (r) {
            Engine.builder().build().run(r);
        }
    }

    @Property(tries = 300)
    void randomBodyAfterAValidHeader(@ForAll boolean ng, @ForAll("bodies") byte[] body) throws IOException {
        byte[] header = ng ? java.util.Arrays.copyOf(valid(true), 48) : java.util.Arrays.copyOf(valid(false), 24);
        run(Packets.concat(header, body));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
    }

    @Property(tries = 1000)
    void oneByteChanged(@ForAll boolean ng, @ForAll("mutations") int[] mutation) throws IOException {
        byte[] b = valid(ng);
        int at = Math.floorMod(mutation[0], b.length);
        b[at] = (byte) mutation[1];
        run(b);
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 255))
                .as((a, v) -> new int[] {a, v});
    }
}
