package org.iotpcap.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.Packets.ACK;
import static org.iotpcap.testing.Packets.FIN;
import static org.iotpcap.testing.Packets.PSH;
import static org.iotpcap.testing.Packets.RST;
import static org.iotpcap.testing.Packets.SYN;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.ip.IpDecoder;
import org.iotpcap.ip.IpPacket;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.junit.jupiter.api.Test;

/**
 * TCP stream reassembly (RFC 9293) from segments built in the test: what each direction delivers, with which
 * frames, and what is counted. Expected streams are the bytes the test sent.
 */
class TcpReassemblerTest {
    private static final String C = "10.0.0.1";
    private static final String S = "10.0.0.2";
    private static final int CP = 40000;
    private static final int SP = 1883;

    /** Drives a {@link TcpReassembler} with IPv4/TCP packets and records everything its listener hears. */
    static final class Harness implements TcpStreamListener {
        final List<String> diagnostics = new ArrayList<>();
        final TcpReassembler tcp;
        final Map<String, ByteArrayOutputStream> streams = new HashMap<>();
        final Map<String, List<Long>> frames = new HashMap<>();
        final List<String> gaps = new ArrayList<>();
        final List<String> closes = new ArrayList<>();
        final List<TcpConnection> opened = new ArrayList<>();
        long frame;

        Harness() {
            this(Limits.DEFAULTS);
        }

        Harness(Limits limits) {
            Diagnostics d = (f, layer, reason, detail) -> diagnostics.add(reason);
            tcp = new TcpReassembler(limits, d, this);
        }

        /** Sends one segment; returns its frame number. */
        long send(String src, int sp, String dst, int dp, long seq, long ack, int flags, byte[] payload) {
            byte[] pkt = Packets.ipv4(src, dst, Packets.TCP, Packets.tcp(src, dst, sp, dp, seq, ack, flags, payload));
            IpPacket ip = new IpPacket();
            assertThat(IpDecoder.decode(0x0800, pkt, 0, pkt.length, ip)).isNull();
            TcpSegment s = new TcpSegment();
            assertThat(s.parse(ip)).isNull();
            frame++;
            tcp.segment(s, frame, frame * 1000);
            return frame;
        }

        long client(long seq, long ack, int flags, String data) {
            return send(C, CP, S, SP, seq, ack, flags, data.getBytes(StandardCharsets.ISO_8859_1));
        }

        long server(long seq, long ack, int flags, String data) {
            return send(S, SP, C, CP, seq, ack, flags, data.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** SYN (client ISN), SYN-ACK (server ISN), ACK: frames 1 to 3. */
        void handshake(long cIsn, long sIsn) {
            client(cIsn, 0, SYN, "");
            server(sIsn, cIsn + 1, SYN | ACK, "");
            client(cIsn + 1, sIsn + 1, ACK, "");
        }

        String stream(long index, boolean fromClient) {
            ByteArrayOutputStream o = streams.get(index + (fromClient ? ">" : "<"));
            return o == null ? "" : o.toString(StandardCharsets.ISO_8859_1);
        }

        List<Long> frames(long index, boolean fromClient) {
            return frames.getOrDefault(index + (fromClient ? ">" : "<"), List.of());
        }

        @Override
        public void onOpen(TcpConnection c) {
            opened.add(c);
        }

        @Override
        public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long f,
                           long ts) {
            String k = c.index() + (fromClient ? ">" : "<");
            streams.computeIfAbsent(k, x -> new ByteArrayOutputStream()).write(data, offset, length);
            frames.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
            assertThat(ts).isEqualTo(f * 1000);
        }

        @Override
        public void onGap(TcpConnection c, boolean fromClient, long bytes, long f) {
            gaps.add(c.index() + (fromClient ? ">" : "<") + bytes + "@" + f);
        }

        @Override
        public void onClose(TcpConnection c) {
            closes.add(c.index() + " " + c.closeReason().label());
        }
    }

    @Test
    void inOrder_bothDirections_withTheCarryingFrames() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        long f4 = h.client(1001, 5001, ACK | PSH, "hello ");
        long f5 = h.client(1007, 5001, ACK | PSH, "world");
        long f6 = h.server(5001, 1012, ACK | PSH, "ok");
        assertThat(h.stream(0, true)).isEqualTo("hello world");
        assertThat(h.frames(0, true)).containsExactly(f4, f5);
        assertThat(h.stream(0, false)).isEqualTo("ok");
        assertThat(h.frames(0, false)).containsExactly(f6);
        TcpConnection c = h.opened.get(0);
        assertThat(c.client().toString()).isEqualTo("10.0.0.1:40000");
        assertThat(c.server().toString()).isEqualTo("10.0.0.2:1883");
        assertThat(c.handshakeSeen()).isTrue();
        assertThat(c.bytes(true)).isEqualTo(11);
        assertThat(h.tcp.retransmissions()).isZero();
        assertThat(h.diagnostics).isEmpty();
    }

    @Test
    void outOfOrder_isHeldThenDelivered_withItsOwnFrame() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        long late = h.client(1007, 5001, ACK, "world");
        assertThat(h.stream(0, true)).isEmpty();
        long early = h.client(1001, 5001, ACK, "hello ");
        assertThat(h.stream(0, true)).isEqualTo("hello world");
        assertThat(h.frames(0, true)).containsExactly(early, late);
        assertThat(h.tcp.retransmissions()).isZero();
    }

    @Test
    void retransmission_isCountedAndNotDeliveredTwice() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1001, 5001, ACK, "abc");
        h.client(1001, 5001, ACK, "abc");
        h.client(1004, 5001, ACK, "def");
        h.client(1004, 5001, ACK, "def"); // retransmitted while nothing is held
        assertThat(h.stream(0, true)).isEqualTo("abcdef");
        assertThat(h.tcp.retransmissions()).isEqualTo(2);
        assertThat(h.opened.get(0).retransmissions(true)).isEqualTo(2);
    }

    @Test
    void retransmissionOfAHeldSegment_isNotDeliveredTwice() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1004, 5001, ACK, "def");
        h.client(1004, 5001, ACK, "def");
        h.client(1001, 5001, ACK, "abc");
        assertThat(h.stream(0, true)).isEqualTo("abcdef");
        assertThat(h.tcp.retransmissions()).isEqualTo(1);
    }

    @Test
    void partialOverlap_firstCopyWins() {
        Harness h = new Harness();
        h.handshake(0, 5000);
        h.client(1, 5001, ACK, "AAAAAAAAAA");      // [1, 11)
        h.client(6, 5001, ACK, "BBBBBBBBBB");      // [6, 16): [6, 11) already delivered
        assertThat(h.stream(0, true)).isEqualTo("AAAAAAAAAABBBBB");
        assertThat(h.tcp.retransmissions()).isEqualTo(1);
    }

    @Test
    void partialOverlapOfHeldSegments_firstCopyWins() {
        Harness h = new Harness();
        h.handshake(0, 5000);
        h.client(11, 5001, ACK, "CCCCCCCCCC");     // [11, 21), held
        h.client(6, 5001, ACK, "DDDDDDDDDD");      // [6, 16), held: [11, 16) was already held as C
        h.client(1, 5001, ACK, "EEEEE");           // [1, 6): fills the hole
        assertThat(h.stream(0, true)).isEqualTo("EEEEE" + "DDDDD" + "CCCCCCCCCC");
    }

    private static final String MESSAGE = "0123456789abcdefghij";

    @Test
    void everySplitPoint_andOneByteAtATime_inBothOrders() {
        for (int k = 1; k < MESSAGE.length(); k++) {
            for (boolean reversed : new boolean[] {false, true}) {
                Harness h = new Harness();
                h.handshake(100, 500);
                String a = MESSAGE.substring(0, k);
                String b = MESSAGE.substring(k);
                if (reversed) {
                    h.client(101 + k, 501, ACK, b);
                    h.client(101, 501, ACK, a);
                } else {
                    h.client(101, 501, ACK, a);
                    h.client(101 + k, 501, ACK, b);
                }
                assertThat(h.stream(0, true)).as("split at " + k + (reversed ? " reversed" : "")).isEqualTo(MESSAGE);
            }
        }
        for (boolean reversed : new boolean[] {false, true}) {
            Harness h = new Harness();
            h.handshake(100, 500);
            for (int i = 0; i < MESSAGE.length(); i++) {
                int j = reversed ? MESSAGE.length() - 1 - i : i;
                h.client(101 + j, 501, ACK, MESSAGE.substring(j, j + 1));
            }
            assertThat(h.stream(0, true)).isEqualTo(MESSAGE);
            assertThat(h.frames(0, true)).hasSize(MESSAGE.length());
        }
    }

    @Test
    void sequenceNumbersWrapAround2To32() {
        long isn = 0xFFFF_FFF5L; // data starts at 2^32 - 10
        Harness h = new Harness();
        h.handshake(isn, 7);
        h.client(isn + 1 + 16, 8, ACK, MESSAGE.substring(16));           // past the wrap, held
        h.client(isn + 1, 8, ACK, MESSAGE.substring(0, 8));              // before the wrap
        h.client((isn + 1 + 8) & 0xFFFF_FFFFL, 8, ACK, MESSAGE.substring(8, 16)); // crosses 2^32
        assertThat(h.stream(0, true)).isEqualTo(MESSAGE);
        h.client(isn + 1, 8, ACK, MESSAGE.substring(0, 8)); // an old retransmission from before the wrap
        assertThat(h.stream(0, true)).isEqualTo(MESSAGE);
        assertThat(h.tcp.retransmissions()).isEqualTo(1);
    }

    @Test
    void connectionAlreadyOpenAtCaptureStart_beginsAtTheFirstSequenceNumberSeen() {
        Harness h = new Harness();
        h.server(9000, 777, ACK | PSH, "late");
        h.client(777, 9004, ACK | PSH, "joiner");
        h.server(9004, 783, ACK | PSH, "!");
        TcpConnection c = h.opened.get(0);
        assertThat(c.handshakeSeen()).isFalse();
        assertThat(c.client().port()).isEqualTo(CP); // the higher port is taken for the client
        assertThat(h.stream(0, false)).isEqualTo("late!");
        assertThat(h.stream(0, true)).isEqualTo("joiner");
        assertThat(h.tcp.connectionCount()).isEqualTo(1);
    }

    @Test
    void finFromBothSides_closes_andLaterBytesAreNotDelivered() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1001, 5001, ACK, "bye");
        h.client(1004, 5001, ACK | FIN, "");
        assertThat(h.closes).isEmpty(); // one FIN: half closed
        h.server(5001, 1005, ACK | FIN, "");
        assertThat(h.closes).containsExactly("0 fin"); // both FINs, every byte before them delivered
        h.client(1005, 5002, ACK, "");
        assertThat(h.opened.get(0).finSeen(true)).isTrue();
        h.client(1001, 5002, ACK, "bye"); // late duplicate
        assertThat(h.stream(0, true)).isEqualTo("bye");
    }

    @Test
    void rst_closes() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1001, 5001, ACK, "x");
        h.server(5001, 1002, RST | ACK, "");
        assertThat(h.closes).containsExactly("0 rst");
        assertThat(h.opened.get(0).rstSeen()).isTrue();
    }

    @Test
    void portPairReusedAfterClose_isANewConnection_butARetransmittedSynIsNot() {
        Harness h = new Harness();
        h.client(1000, 0, SYN, "");
        h.client(1000, 0, SYN, ""); // retransmitted SYN: same ISN
        assertThat(h.tcp.connectionCount()).isEqualTo(1);
        h.server(5000, 1001, SYN | ACK, "");
        h.client(1001, 5001, ACK, "one");
        h.client(1004, 5001, ACK | FIN, "");
        h.server(5001, 1005, ACK | FIN, "");
        h.client(1005, 5002, ACK, "");
        // same port pair, new SYN with a new ISN
        h.client(88_000, 0, SYN, "");
        h.server(99_000, 88_001, SYN | ACK, "");
        h.client(88_001, 99_001, ACK, "two");
        assertThat(h.tcp.connectionCount()).isEqualTo(2);
        assertThat(h.opened).extracting(TcpConnection::index).containsExactly(0L, 1L);
        assertThat(h.stream(0, true)).isEqualTo("one");
        assertThat(h.stream(1, true)).isEqualTo("two");
    }

    @Test
    void newSynWhileOpen_withANewIsn_leavesTheOldConnectionAsReused() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1001, 5001, ACK, "a");
        h.client(333_333, 0, SYN, "");
        assertThat(h.tcp.connectionCount()).isEqualTo(2);
        assertThat(h.closes).containsExactly("0 reused");
    }

    @Test
    void missingSegmentAcknowledgedByThePeer_becomesAGap_andTheStreamGoesOn() {
        Harness h = new Harness();
        h.handshake(1000, 5000);
        h.client(1001, 5001, ACK, "aaaa");
        // [1005, 1009) never captured
        h.client(1009, 5001, ACK, "cccc");
        long ackFrame = h.server(5001, 1013, ACK, "");
        h.client(1013, 5001, ACK, "dddd");
        assertThat(h.stream(0, true)).isEqualTo("aaaaccccdddd");
        assertThat(h.gaps).containsExactly("0>4@" + ackFrame);
        assertThat(h.opened.get(0).gapBytes(true)).isEqualTo(4);
        assertThat(h.tcp.gaps()).isEqualTo(1);
    }

    @Test
    void perDirectionBufferCap_reportsAGap_andKeepsGoing() {
        Harness h = new Harness(Limits.DEFAULTS.withTcpBuffers(10, 1 << 20));
        h.handshake(0, 5000);
        // byte 1 never arrives; everything after it is held until the cap is hit
        h.client(2, 5001, ACK, "bbbbbbbb");   // 8 held
        h.client(10, 5001, ACK, "cccccccc");  // 16 > 10: the hole is given up
        h.client(18, 5001, ACK, "dd");
        assertThat(h.diagnostics).contains("tcp_buffer_limit", "tcp_gap");
        assertThat(h.gaps).containsExactly("0>1@5");
        assertThat(h.stream(0, true)).isEqualTo("bbbbbbbbccccccccdd");
    }

    @Test
    void segmentLargerThanTheCap_aheadOfTheStream_givesUpTheHole() {
        Harness h = new Harness(Limits.DEFAULTS.withTcpBuffers(4, 1 << 20));
        h.handshake(0, 5000);
        h.client(3, 5001, ACK, "0123456789");
        assertThat(h.gaps).containsExactly("0>2@4");
        assertThat(h.stream(0, true)).isEqualTo("0123456789");
    }

    @Test
    void globalBufferCap_acrossConnections() {
        Harness h = new Harness(Limits.DEFAULTS.withTcpBuffers(1000, 12));
        h.send(C, 40001, S, SP, 100, 0, SYN, new byte[0]);
        h.send(C, 40002, S, SP, 200, 0, SYN, new byte[0]);
        h.send(C, 40001, S, SP, 103, 0, ACK, "xxxxxxxx".getBytes(StandardCharsets.US_ASCII)); // 8 held
        h.send(C, 40002, S, SP, 203, 0, ACK, "yyyyyyyy".getBytes(StandardCharsets.US_ASCII)); // 16 > 12 in all
        assertThat(h.diagnostics).contains("tcp_gap");
        assertThat(h.stream(1, true)).isEqualTo("yyyyyyyy");
    }

    @Test
    void manyOutOfOrderBytes_underTheCap_noOutOfMemory() {
        Harness h = new Harness(Limits.DEFAULTS.withTcpBuffers(64 * 1024, 128 * 1024));
        h.handshake(0, 5000);
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 2000; i++) { // 2 MB ahead of a hole that never fills
            h.send(C, CP, S, SP, 2 + (long) i * 1000, 5001, ACK, chunk);
        }
        assertThat(h.opened.get(0).bytes(true)).isEqualTo(2_000_000);
        assertThat(h.opened.get(0).gapBytes(true)).isEqualTo(1);
    }

    @Test
    void connectionLimit_evictsTheLeastRecentlyActive() {
        Harness h = new Harness(Limits.DEFAULTS.withTcpMaxConnections(2));
        h.send(C, 40001, S, SP, 100, 0, SYN, new byte[0]);
        h.send(C, 40002, S, SP, 200, 0, SYN, new byte[0]);
        h.send(C, 40001, S, SP, 101, 0, ACK, "a".getBytes(StandardCharsets.US_ASCII)); // 40001 is now the newer
        h.send(C, 40003, S, SP, 300, 0, SYN, new byte[0]);
        assertThat(h.tcp.evicted()).isEqualTo(1);
        assertThat(h.closes).containsExactly("1 evicted");
        assertThat(h.diagnostics).contains("tcp_connection_evicted");
        assertThat(h.tcp.connectionCount()).isEqualTo(3);
    }

    /**
     * In-order data and acknowledgments on an open connection: the table lookup, the direction and the
     * listener call allocate nothing per segment (the segments are parsed before measuring).
     */
    @Test
    void inOrderSegments_allocateNothing() {
        int n = 40_000;
        List<TcpSegment> segs = new ArrayList<>(2 * n);
        byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            segs.add(parsed(C, CP, S, SP, 1001 + 10L * i, 5001, ACK | PSH, chunk));
            segs.add(parsed(S, SP, C, CP, 5001, 1011 + 10L * i, ACK, new byte[0]));
        }
        long[] bytes = new long[1];
        TcpReassembler tcp = new TcpReassembler(Limits.DEFAULTS, Diagnostics.IGNORE,
                (c, fromClient, data, off, len, frame, ts) -> bytes[0] += len);
        tcp.segment(parsed(C, CP, S, SP, 1000, 0, SYN, new byte[0]), 1, 1);
        tcp.segment(parsed(S, SP, C, CP, 5000, 1001, SYN | ACK, new byte[0]), 2, 2);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int warm = n; // the first half warms up
        for (int i = 0; i < warm; i++) {
            tcp.segment(segs.get(i), 3 + i, 3 + i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = warm; i < segs.size(); i++) {
            tcp.segment(segs.get(i), 3 + i, 3 + i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(bytes[0]).isEqualTo(10L * n);
        assertThat(tcp.retransmissions()).isZero();
        assertThat(tcp.gaps()).isZero();
        assertThat(allocated).as("bytes allocated for %d segments", segs.size() - warm).isLessThan(n / 10);
    }

    private static TcpSegment parsed(String src, int sp, String dst, int dp, long seq, long ack, int flags,
                                     byte[] payload) {
        byte[] pkt = Packets.ipv4(src, dst, Packets.TCP, Packets.tcp(src, dst, sp, dp, seq, ack, flags, payload));
        IpPacket ip = new IpPacket();
        assertThat(IpDecoder.decode(0x0800, pkt, 0, pkt.length, ip)).isNull();
        TcpSegment s = new TcpSegment();
        assertThat(s.parse(ip)).isNull();
        return s;
    }

    @Test
    void throughTheEngine_framesCountAndStreamBytes() throws Exception {
        CaptureBytes.Pcap pcap = CaptureBytes.Pcap.micro(1);
        pcap.record(1, 0, Packets.ethTcp(C, CP, S, SP, 10, 0, SYN, new byte[0]));
        pcap.record(1, 1, Packets.ethTcp(S, SP, C, CP, 90, 11, SYN | ACK, new byte[0]));
        pcap.record(1, 2, Packets.ethTcp(C, CP, S, SP, 14, 91, ACK, "def".getBytes(StandardCharsets.US_ASCII)));
        pcap.record(1, 3, Packets.ethTcp(C, CP, S, SP, 11, 91, ACK, "abc".getBytes(StandardCharsets.US_ASCII)));
        pcap.record(1, 4, Packets.ethTcp(C, CP, S, SP, 11, 91, ACK, "abc".getBytes(StandardCharsets.US_ASCII)));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        List<Long> frames = new ArrayList<>();
        TcpStreamListener l = (c, fromClient, data, off, len, frame, ts) -> {
            got.write(data, off, len);
            frames.add(frame);
        };
        try (CaptureReader r = Captures.open(new ByteArrayInputStream(pcap.bytes()), Diagnostics.IGNORE,
                Limits.DEFAULTS)) {
            Summary s = Engine.builder().onTcp(l).build().run(r);
            assertThat(s.tcpSegments).isEqualTo(5);
            assertThat(s.tcpConnections).isEqualTo(1);
            assertThat(s.tcpRetransmissions).isEqualTo(1);
        }
        assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("abcdef");
        assertThat(frames).containsExactly(4L, 3L);
    }
}
