package org.iotpcap.robustness;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;

/**
 * A pcap (link type RAW, 101) produced on the fly, record by record, as the reader pulls it: a capture of any
 * size without a file or a buffer of that size. Subclasses fill one packet at a time. The layouts are
 * {@link CaptureBytes}' and {@link Packets}' own, written in place into one reused buffer.
 */
abstract class GeneratedCapture extends InputStream {
    private ByteBuffer current;
    private boolean ended;
    private long records;

    GeneratedCapture() {
        current = ByteBuffer.wrap(CaptureBytes.Pcap.header(ByteOrder.LITTLE_ENDIAN, CaptureBytes.MAGIC_MICRO, 101,
                262_144));
    }

    /** Writes the next packet (an IP packet) into {@code out} from its position; false at the end. */
    protected abstract boolean next(ByteBuffer out, long index);

    private final ByteBuffer record = ByteBuffer.allocate(16 + 65_536).order(ByteOrder.BIG_ENDIAN);

    private boolean refill() {
        if (ended) {
            return false;
        }
        record.clear();
        record.position(16);
        if (!next(record, records)) {
            ended = true;
            current = ByteBuffer.allocate(0);
            return false;
        }
        int len = record.position() - 16;
        long t = records++;
        record.order(ByteOrder.LITTLE_ENDIAN).position(0);
        CaptureBytes.Pcap.putRecordHeader(record, 1_700_000_000L + t / 1_000_000, t % 1_000_000, len, len);
        record.order(ByteOrder.BIG_ENDIAN).position(16 + len);
        record.flip();
        current = record;
        return true;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            if (!current.hasRemaining() && !refill()) {
                break;
            }
            int k = Math.min(len - n, current.remaining());
            current.get(b, off + n, k);
            n += k;
        }
        return n == 0 ? -1 : n;
    }

    long records() {
        return records;
    }

    /**
     * An IPv4 header ({@link Packets#putIpv4}) and a 20-byte TCP header ({@link Packets#putTcp}, checksum left 0:
     * iotpcap does not verify it, and a gigabyte need not be summed), then payload.
     */
    static void tcp(ByteBuffer out, int src, int dst, int srcPort, int dstPort, long seq, long ack, int flags,
                    byte[] payload, int payloadOff, int payloadLen) {
        Packets.putIpv4(out, address(src), address(dst), Packets.TCP, 0, 0x4000, NO_OPTIONS, 20 + payloadLen);
        Packets.putTcp(out, srcPort, dstPort, seq, ack, flags);
        if (payloadLen > 0) {
            out.put(payload, payloadOff, payloadLen);
        }
    }

    private static final byte[] NO_OPTIONS = new byte[0];

    private static byte[] address(int a) {
        return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
}
