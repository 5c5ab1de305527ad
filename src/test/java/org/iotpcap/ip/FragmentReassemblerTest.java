package org.iotpcap.ip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.Packets.concat;
import static org.iotpcap.testing.Packets.ipv4;
import static org.iotpcap.testing.Packets.ipv6;
import static org.iotpcap.testing.Packets.ipv6Fragment;
import static org.iotpcap.testing.Packets.ipv6Options;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;

/** IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5) fragment reassembly, fragments built in the test. */
class FragmentReassemblerTest {
    private static final long SECOND = 1_000_000_000L;

    /** A UDP datagram of 8 + 40 bytes, to be cut into fragments at multiples of 8. */
    private static final byte[] DATAGRAM = Packets.udp(5683, 5683, pattern(40, 'a'));

    private final List<String> reasons = new ArrayList<>();
    private final Diagnostics diag = (frame, layer, reason, detail) -> reasons.add(reason);

    private static byte[] pattern(int n, char first) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i % 26);
        }
        return b;
    }

    /** IPv4 fragment of {@code whole} covering [from, to). */
    private static byte[] v4(int id, byte[] whole, int from, int to, boolean more) {
        return ipv4("192.0.2.1", "192.0.2.2", 17, id, (more ? 0x2000 : 0) | from / 8, new byte[0],
                Arrays.copyOfRange(whole, from, to));
    }

    /** IPv6 fragment with a hop-by-hop header before the Fragment header. */
    private static byte[] v6(int id, byte[] whole, int from, int to, boolean more, int nextAfterFragment) {
        return ipv6("2001:db8::1", "2001:db8::2", 0, concat(ipv6Options(44, 0),
                ipv6Fragment(nextAfterFragment, from, more, id), Arrays.copyOfRange(whole, from, to)));
    }

    private static IpPacket decode(byte[] pkt) {
        IpPacket p = new IpPacket();
        int type = (pkt[0] & 0xf0) == 0x40 ? 0x0800 : 0x86DD;
        assertThat(IpDecoder.decode(type, pkt, 0, pkt.length, p)).isNull();
        return p;
    }

    private static byte[] payload(IpPacket p) {
        return Arrays.copyOfRange(p.payload, p.payloadOffset, p.payloadOffset + p.payloadLength);
    }

    @Test
    void ipv4_inOrder() {
        FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
        assertThat(r.offer(decode(v4(1, DATAGRAM, 0, 16, true)), 1, 0)).isFalse();
        assertThat(r.offer(decode(v4(1, DATAGRAM, 16, 32, true)), 2, 0)).isFalse();
        IpPacket last = decode(v4(1, DATAGRAM, 32, 48, false));
        assertThat(r.offer(last, 3, 0)).isTrue();
        assertThat(payload(last)).isEqualTo(DATAGRAM);
        assertThat(last.fragment).isFalse();
        assertThat(r.reassembled()).isEqualTo(1);
        assertThat(r.inFlight()).isZero();
        assertThat(reasons).isEmpty();
    }

    @Test
    void ipv4_outOfOrder_everyOrder() {
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] order : orders) {
            FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
            byte[][] frags = {v4(9, DATAGRAM, 0, 16, true), v4(9, DATAGRAM, 16, 32, true), v4(9, DATAGRAM, 32, 48, false)};
            for (int i = 0; i < 3; i++) {
                IpPacket p = decode(frags[order[i]]);
                boolean done = r.offer(p, i + 1, 0);
                assertThat(done).as(Arrays.toString(order) + " step " + i).isEqualTo(i == 2);
                if (done) {
                    assertThat(payload(p)).isEqualTo(DATAGRAM);
                }
            }
        }
    }

    @Test
    void overlap_firstCopyWins() {
        FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
        byte[] a = new byte[48];
        Arrays.fill(a, (byte) 'A');
        byte[] b = new byte[48];
        Arrays.fill(b, (byte) 'B');
        r.offer(decode(v4(3, a, 0, 24, true)), 1, 0);      // A covers [0, 24)
        r.offer(decode(v4(3, b, 16, 40, true)), 2, 0);     // B covers [16, 40): [16, 24) already held
        IpPacket last = decode(v4(3, b, 40, 48, false));
        assertThat(r.offer(last, 3, 0)).isTrue();
        byte[] expected = new byte[48];
        Arrays.fill(expected, 0, 24, (byte) 'A');
        Arrays.fill(expected, 24, 48, (byte) 'B');
        assertThat(payload(last)).isEqualTo(expected);
    }

    @Test
    void timeout_dropsTheIncompleteDatagram() {
        Limits limits = Limits.DEFAULTS.withFragments(SECOND, 65535, 16);
        FragmentReassembler r = new FragmentReassembler(limits, diag);
        r.offer(decode(v4(4, DATAGRAM, 0, 24, true)), 1, 0);
        // 2 s later: the first fragment has timed out, so the last one alone cannot complete the datagram
        assertThat(r.offer(decode(v4(4, DATAGRAM, 24, 48, false)), 2, 2 * SECOND)).isFalse();
        assertThat(reasons).containsExactly("fragments_timed_out");
        assertThat(r.dropped()).isEqualTo(1);
        // within the timeout it would have completed
        FragmentReassembler r2 = new FragmentReassembler(limits, diag);
        r2.offer(decode(v4(4, DATAGRAM, 0, 24, true)), 1, 0);
        assertThat(r2.offer(decode(v4(4, DATAGRAM, 24, 48, false)), 2, SECOND / 2)).isTrue();
    }

    @Test
    void sizeLimit_dropsTheDatagram() {
        Limits limits = Limits.DEFAULTS.withFragments(60 * SECOND, 100, 16);
        FragmentReassembler r = new FragmentReassembler(limits, diag);
        byte[] big = new byte[120];
        r.offer(decode(v4(5, big, 0, 96, true)), 1, 0);
        assertThat(r.offer(decode(v4(5, big, 96, 120, false)), 2, 0)).isFalse(); // reaches 120 > 100
        assertThat(reasons).containsExactly("fragment_datagram_too_large");
        assertThat(r.inFlight()).isZero();
    }

    @Test
    void inFlightLimit_evictsTheOldest() {
        Limits limits = Limits.DEFAULTS.withFragments(60 * SECOND, 65535, 2);
        FragmentReassembler r = new FragmentReassembler(limits, diag);
        r.offer(decode(v4(10, DATAGRAM, 0, 16, true)), 1, 0);
        r.offer(decode(v4(11, DATAGRAM, 0, 16, true)), 2, 0);
        r.offer(decode(v4(12, DATAGRAM, 0, 16, true)), 3, 0); // third in flight: id 10 is evicted
        assertThat(reasons).containsExactly("fragments_evicted");
        assertThat(r.inFlight()).isEqualTo(2);
        IpPacket p = decode(v4(11, DATAGRAM, 16, 48, false));
        assertThat(r.offer(p, 4, 0)).isTrue();
        assertThat(payload(p)).isEqualTo(DATAGRAM);
        assertThat(r.offer(decode(v4(10, DATAGRAM, 16, 48, false)), 5, 0)).isFalse(); // its start is gone
    }

    @Test
    void ipv6_inOrderAndOutOfOrder_afterAHopByHopHeader() {
        FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
        assertThat(r.offer(decode(v6(77, DATAGRAM, 24, 48, false, 17)), 1, 0)).isFalse();
        IpPacket first = decode(v6(77, DATAGRAM, 0, 24, true, 17));
        assertThat(r.offer(first, 2, 0)).isTrue();
        assertThat(first.protocol).isEqualTo(17);
        assertThat(payload(first)).isEqualTo(DATAGRAM);
    }

    @Test
    void ipv6_fragmentablePartStartingWithDestinationOptions_isWalkedAfterReassembly() {
        byte[] whole = concat(ipv6Options(17, 0), DATAGRAM); // destination options, then UDP
        FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
        r.offer(decode(v6(78, whole, 0, 32, true, 60)), 1, 0);
        IpPacket last = decode(v6(78, whole, 32, whole.length, false, 60));
        assertThat(r.offer(last, 2, 0)).isTrue();
        assertThat(last.protocol).isEqualTo(17);
        assertThat(payload(last)).isEqualTo(DATAGRAM);
    }

    @Test
    void sameIdentification_differentSource_areDifferentDatagrams() {
        FragmentReassembler r = new FragmentReassembler(Limits.DEFAULTS, diag);
        r.offer(decode(v4(20, DATAGRAM, 0, 24, true)), 1, 0);
        byte[] other = ipv4("192.0.2.99", "192.0.2.2", 17, 20, 3, new byte[0], Arrays.copyOfRange(DATAGRAM, 24, 48));
        assertThat(r.offer(decode(other), 2, 0)).isFalse();
        assertThat(r.inFlight()).isEqualTo(2);
    }

    @Test
    void throughTheEngine_bothVersions_reachUdpWithTheWholePayload() throws Exception {
        CaptureBytes.Pcap pcap = CaptureBytes.Pcap.micro(101);
        pcap.record(1, 0, v4(30, DATAGRAM, 24, 48, false)).record(1, 1, v4(30, DATAGRAM, 0, 24, true));
        pcap.record(2, 0, v6(31, DATAGRAM, 0, 16, true, 17)).record(2, 1, v6(31, DATAGRAM, 16, 48, false, 17));
        List<byte[]> udpPayloads = new ArrayList<>();
        List<Long> udpFrames = new ArrayList<>();
        try (CaptureReader reader = Captures.open(new ByteArrayInputStream(pcap.bytes()), Diagnostics.IGNORE,
                Limits.DEFAULTS)) {
            Summary s = Engine.builder().onUdp(d -> {
                udpPayloads.add(Arrays.copyOfRange(d.payload, d.payloadOffset, d.payloadOffset + d.payloadLength));
                udpFrames.add(d.frame);
            }).build().run(reader);
            assertThat(s.ipFragments).isEqualTo(4);
            assertThat(s.ipDatagramsReassembled).isEqualTo(2);
            assertThat(s.udpDatagrams).isEqualTo(2);
            assertThat(s.malformedTotal()).isZero();
        }
        assertThat(udpFrames).containsExactly(2L, 4L); // the frame that completed each datagram
        assertThat(udpPayloads).allSatisfy(p -> assertThat(p).isEqualTo(pattern(40, 'a')));
    }
}
