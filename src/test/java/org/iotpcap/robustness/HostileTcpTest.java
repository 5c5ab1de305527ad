package org.iotpcap.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Dissection;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.api.Test;

/**
 * Hostile TCP traffic through the whole engine, generated on the fly (no file): a SYN flood of a million
 * connections, a connection that never closes and sends a gigabyte with half of it out of order, and sequence
 * numbers that jump by about 2^31. Memory stays bounded (measured after a GC at several points of the run),
 * evictions and gaps are counted and reported, and nothing escapes as an exception.
 */
class HostileTcpTest {
    private static final int CLIENT = 0x0a000001;
    private static final int SERVER = 0xc0000201;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    /** Heap in use after a full GC. */
    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static Summary run(GeneratedCapture capture, Limits limits, TcpStreamListener tcp, Diagnostics diag,
                               org.iotpcap.engine.FrameListener frames) throws IOException {
        try (CaptureReader reader = Captures.open(capture, diag, limits)) {
            return Engine.builder().limits(limits).diagnostics(diag).onTcp(tcp).onFrame(frames).build().run(reader);
        }
    }

    /** Counts diagnostics by reason. */
    private static final class Counts implements Diagnostics {
        final Map<String, Long> byReason = new HashMap<>();

        @Override
        public void report(long frame, org.iotpcap.bytes.Layer layer, String reason, String detail) {
            assertThat(frame).isPositive();
            byReason.merge(layer.label() + "/" + reason, 1L, Long::sum);
        }
    }

    @Test
    void synFlood_ofAMillionConnections_evictsBeyondTheLimit_inBoundedMemory() throws IOException {
        int total = 1_000_000;
        // 20,000 connections tracked at once, a tenth of the default, so that the retained table (each MQTT
        // connection with its stream decoder) keeps garbage collection cheap and the test takes seconds; the
        // default table is the same code with a bigger number
        Limits limits = Limits.DEFAULTS.withTcpMaxConnections(20_000);
        GeneratedCapture flood = new GeneratedCapture() {
            @Override
            protected boolean next(ByteBuffer out, long i) {
                if (i >= total) {
                    return false;
                }
                // every SYN from its own address and port, to the broker port, so each is a new connection
                tcp(out, CLIENT + (int) (i / 50_000), SERVER, 1024 + (int) (i % 50_000), 1883, i * 7919, 0, SYN,
                        null, 0, 0);
                return true;
            }
        };
        Counts diag = new Counts();
        Dissection dissection = new Dissection(Bindings.defaults(), diag, MessageSink.NONE, false);
        long[] heap = new long[3];
        long start = System.nanoTime();
        Summary s = run(flood, limits, dissection, diag, (rec, ip, t, sp, dp, stream, conn) -> {
            if (rec.frameNumber() == 300_000) {
                heap[0] = usedHeap();
            } else if (rec.frameNumber() == total) {
                heap[1] = usedHeap();
            }
        });
        heap[2] = usedHeap();
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertThat(s.frames).isEqualTo(total);
        assertThat(s.tcpConnections).isEqualTo(total);
        assertThat(s.tcpConnectionsEvicted).isEqualTo(total - limits.tcpMaxConnections());
        assertThat(diag.byReason).containsEntry("tcp/tcp_connection_evicted", (long) total - limits.tcpMaxConnections());
        // past the limit the table stops growing: 700,000 more SYNs add (almost) nothing
        assertThat(heap[1] - heap[0]).as("heap growth from frame 300,000 to 1,000,000 (%d s)", seconds)
                .isLessThan(64L << 20);
    }

    @Test
    void connectionThatNeverCloses_sendsAGigabyte_halfOutOfOrder_buffersStayCapped_gapsCounted() throws IOException {
        int segment = 32 * 1024;
        int perBlock = 256;                    // 8 MiB blocks: even blocks in order, odd blocks in reverse order
        long totalBytes = 1L << 30;
        int segments = (int) (totalBytes / segment);
        byte[] payload = new byte[segment];
        java.util.Arrays.fill(payload, (byte) 'x');
        long isn = 1_000;
        Limits limits = Limits.DEFAULTS;       // 4 MiB held per direction
        GeneratedCapture stream = new GeneratedCapture() {
            @Override
            protected boolean next(ByteBuffer out, long i) {
                if (i == 0) {
                    tcp(out, CLIENT, SERVER, 40_000, 5000, isn, 0, SYN, null, 0, 0);
                    return true;
                }
                if (i == 1) {
                    tcp(out, SERVER, CLIENT, 5000, 40_000, 77, isn + 1, SYN | ACK, null, 0, 0);
                    return true;
                }
                long k = i - 2;
                if (k >= segments) {
                    return false;
                }
                long block = k / perBlock;
                long within = k % perBlock;
                long n = block % 2 == 0 ? k : block * perBlock + (perBlock - 1 - within);
                tcp(out, CLIENT, SERVER, 40_000, 5000, isn + 1 + n * segment, 78, ACK | PSH, payload, 0, segment);
                return true;
            }
        };
        long[] delivered = {0};
        long[] gapBytes = {0};
        TcpStreamListener count = new TcpStreamListener() {
            @Override
            public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long frame,
                               long ts) {
                assertThat(offset).isNotNegative();
                assertThat(offset + length).isLessThanOrEqualTo(data.length);
                delivered[0] += length;
            }

            @Override
            public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                gapBytes[0] += bytes;
            }
        };
        Counts diag = new Counts();
        long[] heap = {Long.MAX_VALUE, 0};
        long before = usedHeap();
        Summary s = run(stream, limits, count, diag, (rec, ip, t, sp, dp, st, conn) -> {
            if (rec.frameNumber() % 8_192 == 0) {
                long used = usedHeap();
                heap[0] = Math.min(heap[0], used);
                heap[1] = Math.max(heap[1], used);
            }
        });

        assertThat(s.frames).isEqualTo(segments + 2L);
        assertThat(delivered[0] + gapBytes[0]).as("every byte delivered once or counted missing").isEqualTo(totalBytes);
        assertThat(gapBytes[0]).isPositive().isLessThan(totalBytes / 2);
        assertThat(s.tcpGaps).isPositive();
        assertThat(diag.byReason).containsKey("tcp/tcp_buffer_limit").containsKey("tcp/tcp_gap");
        assertThat(s.tcpRetransmissions).isPositive(); // reversed segments behind a skipped hole
        assertThat(heap[1] - before).as("heap held while streaming a gigabyte").isLessThan(64L << 20);
    }

    @Test
    void sequenceNumbersJumpingByAbout2To31_neitherCrashNorCorruptTheStream() throws IOException {
        long isn = 0x7fff_fff0L;
        byte[] a = "AAAA".getBytes();
        byte[] b = "BBBB".getBytes();
        byte[] z = "ZZZZ".getBytes();
        long[][] plan = {
            // seq offset from isn + 1, payload (0 a, 1 b, 2 z); after AAAA the stream expects offset 4
            {0, 0},
            {4 + (1L << 31) - 1, 2},   // as far ahead as modulo 2^32 allows: held
            {4 + (1L << 31), 2},       // exactly half the space away: neither ahead nor behind (RFC 1982)
            {4 + (1L << 31) + 1, 2},   // just over half: behind, an old retransmission
            {(1L << 32) - 4, 2},       // 4 bytes before the start
            {4, 1},
        };
        GeneratedCapture capture = new GeneratedCapture() {
            @Override
            protected boolean next(ByteBuffer out, long i) {
                if (i == 0) {
                    tcp(out, CLIENT, SERVER, 40_000, 5000, isn, 0, SYN, null, 0, 0);
                    return true;
                }
                if (i > plan.length) {
                    return false;
                }
                long[] p = plan[(int) i - 1];
                byte[] data = p[1] == 0 ? a : p[1] == 1 ? b : z;
                tcp(out, CLIENT, SERVER, 40_000, 5000, (isn + 1 + p[0]) & 0xffffffffL, 0, PSH, data, 0, data.length);
                return true;
            }
        };
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        long[] gaps = {0};
        TcpStreamListener collect = new TcpStreamListener() {
            @Override
            public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long frame,
                               long ts) {
                assertThat(offset).isNotNegative();
                assertThat(length).isPositive();
                assertThat((long) offset + length).isLessThanOrEqualTo(data.length);
                received.write(data, offset, length);
            }

            @Override
            public void onGap(TcpConnection c, boolean fromClient, long bytes, long frame) {
                gaps[0] += bytes;
            }
        };
        Counts diag = new Counts();
        Summary s = run(capture, Limits.DEFAULTS, collect, diag, (rec, ip, t, sp, dp, st, conn) -> {});
        assertThat(s.frames).isEqualTo(plan.length + 1L);
        // the in-order bytes arrive in order; the far-ahead segment is delivered after a gap at capture end; the
        // segment exactly 2^31 away is taken as old, like the ones behind
        assertThat(received.toString()).startsWith("AAAABBBB").isEqualTo("AAAABBBBZZZZ");
        assertThat(gaps[0]).isEqualTo((1L << 31) - 5);
        assertThat(s.tcpRetransmissions).isEqualTo(3);
    }
}
