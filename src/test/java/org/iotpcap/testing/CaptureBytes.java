package org.iotpcap.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test-only writer that lays out pcap and pcapng bytes exactly as a test describes them (byte order, magic,
 * block types, lengths, options), including deliberately broken layouts; the frames inside come from
 * {@link Packets}. It encodes what it is told and
 * nothing more: expected values in tests come from the same inputs, never from iotpcap's reader.
 */
public final class CaptureBytes {
    private CaptureBytes() {}

    public static final int MAGIC_MICRO = 0xa1b2c3d4;
    public static final int MAGIC_NANO = 0xa1b23c4d;
    public static final int MAGIC_MODIFIED = 0xa1b2cd34;

    /** A libpcap file: header then records. */
    public static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final int magic;

        public Pcap(ByteOrder order, int magic, int linkType, int snapLength) {
            this.order = order;
            this.magic = magic;
            out.writeBytes(header(order, magic, linkType, snapLength));
        }

        /** The 24-byte file header: magic, version 2.4, zone and accuracy 0, snap length, link type. */
        public static byte[] header(ByteOrder order, int magic, int linkType, int snapLength) {
            ByteBuffer h = ByteBuffer.allocate(24).order(order);
            h.putInt(magic).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snapLength)
                    .putInt(linkType);
            return h.array();
        }

        /**
         * Writes a 16-byte record header at {@code out}'s position in {@code out}'s byte order: seconds, fraction,
         * captured length, original length.
         */
        public static void putRecordHeader(ByteBuffer out, long seconds, long fraction, int capturedLength,
                                           int originalLength) {
            out.putInt((int) seconds).putInt((int) fraction).putInt(capturedLength).putInt(originalLength);
        }

        public static Pcap micro(int linkType) {
            return new Pcap(ByteOrder.LITTLE_ENDIAN, MAGIC_MICRO, linkType, 65535);
        }

        /** One record: seconds, fraction (micro- or nanoseconds by the magic), data, original length. */
        public Pcap record(long seconds, long fraction, byte[] data, int originalLength) {
            int hdr = magic == MAGIC_MODIFIED ? 24 : 16;
            ByteBuffer r = ByteBuffer.allocate(hdr).order(order);
            putRecordHeader(r, seconds, fraction, data.length, originalLength);
            if (magic == MAGIC_MODIFIED) {
                r.putInt(3).putShort((short) 0x0800).put((byte) 0).put((byte) 0); // ifindex, protocol, pkt_type, pad
            }
            out.writeBytes(r.array());
            out.writeBytes(data);
            return this;
        }

        public Pcap record(long seconds, long fraction, byte[] data) {
            return record(seconds, fraction, data, data.length);
        }

        /** Raw bytes appended as they are (for broken layouts). */
        public Pcap raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A pcapng file as a sequence of blocks; each section may have its own byte order. */
    public static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private ByteOrder order;

        public Pcapng(ByteOrder order) {
            section(order);
        }

        public static Pcapng le() {
            return new Pcapng(ByteOrder.LITTLE_ENDIAN);
        }

        /** A Section Header Block (version 1.0, section length -1) in {@code order}; later blocks use it. */
        public Pcapng section(ByteOrder order) {
            this.order = order;
            ByteBuffer body = ByteBuffer.allocate(16).order(order);
            body.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
            return block(0x0A0D0D0A, body.array());
        }

        /** An Interface Description Block with options already encoded by {@link #option}. */
        public Pcapng interfaceBlock(int linkType, int snapLength, byte[]... options) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ByteBuffer fixed = ByteBuffer.allocate(8).order(order);
            fixed.putShort((short) linkType).putShort((short) 0).putInt(snapLength);
            b.writeBytes(fixed.array());
            if (options.length > 0) {
                for (byte[] o : options) {
                    b.writeBytes(o);
                }
                b.writeBytes(option(0, new byte[0])); // opt_endofopt
            }
            return block(1, b.toByteArray());
        }

        public Pcapng interfaceBlock(int linkType) {
            return interfaceBlock(linkType, 65535);
        }

        /** if_tsresol option (code 9). */
        public byte[] tsresol(int value) {
            return option(9, new byte[] {(byte) value});
        }

        /** if_tsoffset option (code 14), seconds. */
        public byte[] tsoffset(long seconds) {
            return option(14, ByteBuffer.allocate(8).order(order).putLong(seconds).array());
        }

        /** if_name option (code 2). */
        public byte[] name(String name) {
            return option(2, name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** An option: code, length, value padded to 32 bits. */
        public byte[] option(int code, byte[] value) {
            int padded = (value.length + 3) & ~3;
            ByteBuffer o = ByteBuffer.allocate(4 + padded).order(order);
            o.putShort((short) code).putShort((short) value.length).put(value);
            return o.array();
        }

        /** Enhanced Packet Block. */
        public Pcapng epb(int interfaceId, long ticks, byte[] data, int originalLength) {
            return epbWithCapturedLength(interfaceId, ticks, data, data.length, originalLength);
        }

        public Pcapng epb(int interfaceId, long ticks, byte[] data) {
            return epb(interfaceId, ticks, data, data.length);
        }

        /** EPB whose captured-length field says {@code capturedLength}, whatever the data (for broken blocks). */
        public Pcapng epbWithCapturedLength(int interfaceId, long ticks, byte[] data, int capturedLength,
                                            int originalLength) {
            ByteBuffer b = ByteBuffer.allocate(20 + pad(data.length)).order(order);
            b.putInt(interfaceId).putInt((int) (ticks >>> 32)).putInt((int) ticks).putInt(capturedLength)
                    .putInt(originalLength).put(data);
            return block(6, b.array());
        }

        /** Simple Packet Block: original length then data. */
        public Pcapng spb(byte[] data, int originalLength) {
            ByteBuffer b = ByteBuffer.allocate(4 + pad(data.length)).order(order);
            b.putInt(originalLength).put(data);
            return block(3, b.array());
        }

        /** Obsolete Packet Block (type 2): interface id (16 bits), drops (16 bits), timestamp, lengths, data. */
        public Pcapng packetBlock(int interfaceId, long ticks, byte[] data, int originalLength) {
            ByteBuffer b = ByteBuffer.allocate(20 + pad(data.length)).order(order);
            b.putShort((short) interfaceId).putShort((short) 0).putInt((int) (ticks >>> 32)).putInt((int) ticks)
                    .putInt(data.length).putInt(originalLength).put(data);
            return block(2, b.array());
        }

        /** Any block: type, body (padded to 32 bits), total length before and after. */
        public Pcapng block(int type, byte[] body) {
            int len = 12 + pad(body.length);
            return blockWithLengths(type, body, len, len);
        }

        /** A block whose leading and trailing length fields say what the test wants (for broken blocks). */
        public Pcapng blockWithLengths(int type, byte[] body, int leading, int trailing) {
            ByteBuffer b = ByteBuffer.allocate(12 + pad(body.length)).order(order);
            b.putInt(type).putInt(leading).put(body);
            b.position(8 + pad(body.length));
            b.putInt(trailing);
            out.writeBytes(b.array());
            return this;
        }

        public Pcapng raw(byte[] bytes) {
            out.writeBytes(bytes);
            return this;
        }

        public ByteOrder order() {
            return order;
        }

        public byte[] bytes() {
            return out.toByteArray();
        }

        private static int pad(int n) {
            return (n + 3) & ~3;
        }
    }
}
