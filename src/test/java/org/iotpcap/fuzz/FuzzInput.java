package org.iotpcap.fuzz;

/**
 * Reads a fuzz input front to back as small fields, so seed inputs are easy to write by hand (or from a
 * capture) and a mutation of one byte changes one field. Past the end every field reads as 0.
 */
final class FuzzInput {
    private final byte[] data;
    private int pos;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    int remaining() {
        return data.length - pos;
    }

    int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    int u16() {
        return u8() << 8 | u8();
    }

    long u32() {
        return (long) u16() << 16 | u16();
    }

    boolean bool() {
        return (u8() & 1) != 0;
    }

    /** A value in [lo, hi], read from 1, 2 or 4 bytes as the range needs. */
    int intIn(int lo, int hi) {
        long range = (long) hi - lo + 1;
        long raw = range <= 256 ? u8() : range <= 65_536 ? u16() : u32();
        return (int) (lo + raw % range);
    }

    /** Up to {@code n} bytes (fewer at the end of the input). */
    byte[] bytes(int n) {
        int k = Math.min(Math.max(n, 0), remaining());
        byte[] b = java.util.Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return b;
    }
}
