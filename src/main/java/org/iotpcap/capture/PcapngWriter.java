package org.iotpcap.capture;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng): one Section Header Block (section 4.1) with an opt_comment,
 * an Interface Description Block (section 4.2) per interface of the capture read, in the order read so that
 * interface ids are kept, and an Enhanced Packet Block (section 4.3) per frame with its original bytes, lengths
 * and timestamp in the interface's own units, and an opt_comment. Little-endian; streams, buffering one block.
 */
public final class PcapngWriter implements AutoCloseable {
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 0x00000001;
    private static final int EPB = 0x00000006;
    private static final int OPT_COMMENT = 1;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    private final OutputStream out;
    private final java.util.List<CaptureInterface> written = new java.util.ArrayList<>();
    private long frames;

    /** Starts the file: the section header with {@code comment} (null: none). */
    public PcapngWriter(OutputStream out, String comment) throws IOException {
        this.out = new BufferedOutputStream(out, 1 << 16);
        ByteBuffer body = buffer(16 + optionsLength(comment));
        body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putComment(body, comment);
        block(SHB, body);
    }

    /**
     * Writes the interfaces of {@code reader} up to {@code id} that are not written yet: call before the frames
     * of that interface. Ids are the reader's (across sections), so the written file numbers them the same way.
     */
    public void interfacesUpTo(CaptureReader reader, int id) throws IOException {
        while (written.size() <= id && written.size() < reader.interfaces().size()) {
            CaptureInterface i = reader.interfaces().get(written.size());
            byte[] name = i.name() == null ? null : i.name().getBytes(StandardCharsets.UTF_8);
            int options = (name == null ? 0 : 4 + pad(name.length)) + 8 + (i.tsOffsetSeconds() != 0 ? 12 : 0) + 4;
            ByteBuffer body = buffer(8 + options);
            body.putShort((short) i.linkType()).putShort((short) 0).putInt((int) i.snapLength());
            if (name != null) {
                putOption(body, IF_NAME, name);
            }
            putOption(body, IF_TSRESOL, new byte[] {(byte) i.tsResolution()});
            if (i.tsOffsetSeconds() != 0) {
                body.putShort((short) IF_TSOFFSET).putShort((short) 8).putLong(i.tsOffsetSeconds());
            }
            body.putInt(0);
            block(IDB, body);
            written.add(i);
        }
    }

    /** Writes {@code r} (its interface must be written) with {@code comment} (null: none). */
    public void frame(CaptureRecord r, String comment) throws IOException {
        if (r.interfaceId() >= written.size()) {
            throw new IllegalStateException("interface " + r.interfaceId() + " not written before its frame");
        }
        CaptureInterface i = written.get(r.interfaceId());
        long ticks = ticks(r.timestampNanos() - i.tsOffsetSeconds() * 1_000_000_000L, i.tsResolution());
        int len = r.capturedLength();
        ByteBuffer body = buffer(20 + pad(len) + optionsLength(comment));
        body.putInt(r.interfaceId()).putInt((int) (ticks >>> 32)).putInt((int) ticks).putInt(len)
                .putInt((int) Math.min(r.originalLength(), 0xFFFFFFFFL));
        body.put(r.data(), r.offset(), len);
        body.position(body.position() + pad(len) - len);
        putComment(body, comment);
        block(EPB, body);
        frames++;
    }

    public long framesWritten() {
        return frames;
    }

    /**
     * Nanoseconds to ticks of {@code tsresol}: exact for decimal resolutions down to the nanosecond (the frames'
     * timestamps were whole ticks of it); binary ones are rounded up, so that a timestamp the reader made from a
     * tick (rounding down, {@link Timestamps#ticksToNanos}) reads back as the same nanosecond.
     */
    static long ticks(long nanos, int tsresol) {
        int n = tsresol & 0x7f;
        if ((tsresol & 0x80) == 0) {
            long t = nanos;
            for (int k = n; k < 9; k++) {
                t /= 10;
            }
            for (int k = 9; k < n; k++) {
                t *= 10;
            }
            return t;
        }
        java.math.BigInteger scaled = java.math.BigInteger.valueOf(nanos).shiftLeft(n);
        java.math.BigInteger[] qr = scaled.divideAndRemainder(java.math.BigInteger.valueOf(1_000_000_000L));
        return qr[0].longValue() + (qr[1].signum() > 0 ? 1 : 0);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int pad(int n) {
        return (n + 3) & ~3;
    }

    /** An opt_comment and opt_endofopt, or nothing. */
    private static int optionsLength(String comment) {
        return comment == null ? 0 : 4 + pad(comment.getBytes(StandardCharsets.UTF_8).length) + 4;
    }

    private static void putComment(ByteBuffer body, String comment) {
        if (comment != null) {
            putOption(body, OPT_COMMENT, comment.getBytes(StandardCharsets.UTF_8));
            body.putInt(0);
        }
    }

    private static void putOption(ByteBuffer body, int code, byte[] value) {
        body.putShort((short) code).putShort((short) value.length).put(value);
        body.position(body.position() + pad(value.length) - value.length);
    }

    private void block(int type, ByteBuffer body) throws IOException {
        int total = 12 + body.capacity();
        ByteBuffer head = buffer(8).putInt(type).putInt(total);
        out.write(head.array());
        out.write(body.array());
        out.write(buffer(4).putInt(total).array());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
