package org.iotpcap.bytes;

/**
 * Absolute big- and little-endian reads from a byte array, for the hot path.
 *
 * <p>The caller checks bounds first; these helpers do no checking of their own beyond the JVM's.
 */
public final class Bytes {
    private Bytes() {}

    public static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static int u16be(byte[] b, int off) {
        return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
    }

    public static int u16le(byte[] b, int off) {
        return (b[off + 1] & 0xff) << 8 | (b[off] & 0xff);
    }

    public static long u32be(byte[] b, int off) {
        return i32be(b, off) & 0xffffffffL;
    }

    public static long u32le(byte[] b, int off) {
        return i32le(b, off) & 0xffffffffL;
    }

    public static int i32be(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    public static int i32le(byte[] b, int off) {
        return (b[off + 3] & 0xff) << 24 | (b[off + 2] & 0xff) << 16 | (b[off + 1] & 0xff) << 8 | (b[off] & 0xff);
    }

    public static long i64be(byte[] b, int off) {
        return (long) i32be(b, off) << 32 | (i32be(b, off + 4) & 0xffffffffL);
    }

    /** Lower-case hex of {@code len} bytes from {@code off}, without separators. */
    public static String hex(byte[] b, int off, int len) {
        return HEX.formatHex(b, off, off + len);
    }

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();
}
