package org.iotpcap.robustness;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A pcap (link type RAW, 101) produced on the fly, record by record, as the reader pulls it: a capture of any
 * size without a file or a buffer of that size. Subclasses fill one packet at a time.
 */
abstract class GeneratedCapture extends InputStream {
    private ByteBuffer current;
    private boolean ended;
    private long records;

    GeneratedCapture() {
        current = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        current.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(262_144)
                .putInt(101).flip();
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
        record.order(ByteOrder.LITTLE_ENDIAN);
        record.putInt(0, (int) (1_700_000_000L + t / 1_000_000)).putInt(4, (int) (t % 1_000_000))
                .putInt(8, len).putInt(12, len);
        record.order(ByteOrder.BIG_ENDIAN);
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

    /** An IPv4 header and a 20-byte TCP header (checksums left 0: iotpcap does not verify them), then payload. */
    static void tcp(ByteBuffer out, int src, int dst, int srcPort, int dstPort, long seq, long ack, int flags,
                    byte[] payload, int payloadOff, int payloadLen) {
        out.put((byte) 0x45).put((byte) 0).putShort((short) (40 + payloadLen)).putShort((short) 0)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
        out.putShort((short) srcPort).putShort((short) dstPort).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65_535).putInt(0);
        if (payloadLen > 0) {
            out.put(payload, payloadOff, payloadLen);
        }
    }
}
