package org.iotpcap.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs. IPv4 addresses are kept in their IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d) with {@code v4} set, so both families share one representation on the hot path.
 */
public record IpAddress(long hi, long lo, boolean v4) implements Comparable<IpAddress> {
    static final long V4_MAPPED = 0x0000_ffff_0000_0000L;
    /** {@link #text}'s cache; first, since constants below are made from text. */
    private static final int TEXT_SLOTS = 4096;
    private static final Text[] TEXTS = new Text[TEXT_SLOTS];

    public static IpAddress ofV4(int addr) {
        return new IpAddress(0, V4_MAPPED | (addr & 0xffffffffL), true);
    }

    public static IpAddress of(long hi, long lo) {
        boolean v4 = hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED;
        return new IpAddress(hi, lo, v4);
    }

    /** Parses dotted IPv4 or IPv6 text (no name lookup). */
    public static IpAddress parse(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (!t.matches("[0-9a-fA-F:.]+") || (!t.contains(":") && !t.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        try {
            byte[] a = InetAddress.getByName(t).getAddress();
            if (a.length == 4) {
                return ofV4(org.iotpcap.bytes.Bytes.i32be(a, 0));
            }
            return of(org.iotpcap.bytes.Bytes.i64be(a, 0), org.iotpcap.bytes.Bytes.i64be(a, 8));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    /** The first octet of the IPv4 loopback block 127.0.0.0/8 (RFC 1122 3.2.1.3 (g)). */
    static final int LOOPBACK_V4_FIRST_OCTET = 127;
    /** The one IPv6 loopback address ::1 (RFC 4291 2.5.3). */
    static final IpAddress LOOPBACK_V6 = of(0, 1);

    /**
     * The loopback rule, the one definition of a "local" address: 127.0.0.0/8 (RFC 1122 3.2.1.3) or ::1
     * (RFC 4291 2.5.3). An IPv4-mapped address counts by its IPv4 address; other IPv6 addresses are not local.
     * {@link #LOOPBACK_TEXT} and {@link #loopbackSql} say the same rule for people and for SQL.
     */
    public boolean isLoopback() {
        if (v4) {
            return ((lo >>> 24) & 0xff) == LOOPBACK_V4_FIRST_OCTET;
        }
        return equals(LOOPBACK_V6);
    }

    /** The loopback rule for people: {@code 127.0.0.0/8, ::1}. */
    public static final String LOOPBACK_TEXT = ofV4(LOOPBACK_V4_FIRST_OCTET << 24) + "/8, " + LOOPBACK_V6;

    /**
     * The loopback rule as a SQL condition on a column holding addresses in this class's text form
     * ({@link #toString()}, as every table stores them): {@code (c LIKE '127.%' OR c = '::1')}.
     */
    public static String loopbackSql(String column) {
        return "(" + column + " LIKE '" + LOOPBACK_V4_FIRST_OCTET + ".%' OR " + column + " = '" + LOOPBACK_V6 + "')";
    }

    /** The text form: dotted quad for IPv4, RFC 5952 for IPv6 ({@link #text}). */
    @Override
    public String toString() {
        return text(hi, lo, v4);
    }

    /**
     * The text of {@code new IpAddress(hi, lo, v4)}, from a cache: a capture has few addresses and many rows, and
     * formatting (and allocating) the same text for each row was the largest cost of the frames table and a large
     * one of every table with addresses. The cache is direct-mapped ({@value #TEXT_SLOTS} slots, so its memory is
     * bounded whatever the number of addresses) and shared by every thread: a slot holds one immutable entry, so a
     * racing read sees a whole entry, and checks that it is this address's, or formats the text itself.
     */
    public static String text(long hi, long lo, boolean v4) {
        long mix = (hi * 0x9E3779B97F4A7C15L) ^ (lo * 0xC2B2AE3D27D4EB4FL) ^ (v4 ? 1 : 0);
        int slot = (int) (mix ^ (mix >>> 29)) & (TEXT_SLOTS - 1);
        Text t = TEXTS[slot];
        if (t != null && t.hi == hi && t.lo == lo && t.v4 == v4) {
            return t.text;
        }
        String text = format(hi, lo, v4);
        TEXTS[slot] = new Text(hi, lo, v4, text);
        return text;
    }

    private record Text(long hi, long lo, boolean v4, String text) {}

    /** The text, formatted without the cache. */
    static String format(long hi, long lo, boolean v4) {
        if (v4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff);
        }
        byte[] a = new byte[16];
        for (int i = 0; i < 8; i++) {
            a[i] = (byte) (hi >>> (56 - 8 * i));
            a[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return Ipv6Text.format(a);
    }

    /*
     * equals and hashCode are written out here and in the other records used as hash keys on the hot path
     * (Endpoint, the semantic model's keys): a record's generated ones are method-handle chains, which cost about a
     * tenth of the semantic model's time in a profile of `run all` (2026-12-04), most of it while they ran before
     * C2 had compiled them.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof IpAddress a && a.lo == lo && a.hi == hi && a.v4 == v4;
    }

    @Override
    public int hashCode() {
        long h = hi * 31 + lo;
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public int compareTo(IpAddress o) {
        int c = Boolean.compare(!v4, !o.v4);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
