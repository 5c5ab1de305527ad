package org.iotpcap.bytes;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read-only window (offset, length) on shared bytes, for dissectors.
 *
 * <p>Reads are absolute and relative to the start of the view. A child view from {@link #slice} cannot
 * reach outside its parent, so a decoder handed exactly a message's declared length cannot over-read.
 * {@link #length()} is what was captured; {@link #reported()} is what the sender said was on the wire
 * (larger when the capture's snap length cut the packet).
 *
 * <p>The bytes are shared, not copied: a view is valid only while its owner keeps the array unchanged.
 * Use {@link #toByteArray()} for a value that must outlive it.
 */
public final class ByteView {
    private static final ByteView EMPTY = new ByteView(new byte[0], 0, 0, 0);

    private final byte[] array;
    private final int offset;
    private final int length;
    private final int reported;

    private ByteView(byte[] array, int offset, int length, int reported) {
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.reported = reported;
    }

    public static ByteView of(byte[] array) {
        return new ByteView(array, 0, array.length, array.length);
    }

    public static ByteView of(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IndexOutOfBoundsException("view " + offset + "+" + length + " of " + array.length);
        }
        return new ByteView(array, offset, length, length);
    }

    public static ByteView empty() {
        return EMPTY;
    }

    /** Captured bytes in this view. */
    public int length() {
        return length;
    }

    /** Bytes the sender put on the wire for this view; at least {@link #length()}. */
    public int reported() {
        return reported;
    }

    public ByteView withReported(int reportedLength) {
        return new ByteView(array, offset, length, Math.max(length, reportedLength));
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public int u8(int off) {
        check(off, 1);
        return array[offset + off] & 0xff;
    }

    public int u16(int off) {
        check(off, 2);
        return Bytes.u16be(array, offset + off);
    }

    public int u24(int off) {
        check(off, 3);
        return (array[offset + off] & 0xff) << 16 | Bytes.u16be(array, offset + off + 1);
    }

    public long u32(int off) {
        check(off, 4);
        return Bytes.u32be(array, offset + off);
    }

    /** The bytes from {@code off} to the end. */
    public ByteView slice(int off) {
        return slice(off, length - off);
    }

    public ByteView slice(int off, int len) {
        check(off, len);
        return new ByteView(array, offset + off, len, len);
    }

    public byte[] toByteArray() {
        return Arrays.copyOfRange(array, offset, offset + length);
    }

    public byte[] toByteArray(int off, int len) {
        check(off, len);
        return Arrays.copyOfRange(array, offset + off, offset + off + len);
    }

    public String utf8(int off, int len) {
        check(off, len);
        return new String(array, offset + off, len, StandardCharsets.UTF_8);
    }

    public String latin1(int off, int len) {
        check(off, len);
        return new String(array, offset + off, len, StandardCharsets.ISO_8859_1);
    }

    public String hex() {
        return Bytes.hex(array, offset, length);
    }

    public String hex(int off, int len) {
        check(off, len);
        return Bytes.hex(array, offset + off, len);
    }

    /** True when the bytes are well-formed UTF-8 (no decoding, no allocation). */
    public boolean isValidUtf8(int off, int len) {
        check(off, len);
        return Utf8.isValid(array, offset + off, len);
    }

    /** The backing array and absolute offset, for code that must hand bytes on without copying. */
    public byte[] array() {
        return array;
    }

    public int arrayOffset() {
        return offset;
    }

    private void check(int off, int len) {
        if (off < 0 || len < 0 || off > length - len) {
            throw new IndexOutOfBoundsException("read " + off + "+" + len + " of view length " + length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteView v
                && Arrays.equals(array, offset, offset + length, v.array, v.offset, v.offset + v.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + array[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "ByteView[" + length + (reported != length ? "/" + reported : "") + "]";
    }
}
