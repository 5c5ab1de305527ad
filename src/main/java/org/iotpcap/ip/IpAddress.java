package org.iotpcap.ip;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs. IPv4 addresses are kept in their IPv4-mapped IPv6 form
 * (::ffff:a.b.c.d) with {@code v4} set, so both families share one representation on the hot path.
 */
public record IpAddress(long hi, long lo, boolean v4) implements Comparable<IpAddress> {
    static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

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

    /** 127.0.0.0/8 or ::1. */
    public boolean isLoopback() {
        if (v4) {
            return ((lo >>> 24) & 0xff) == 127;
        }
        return hi == 0 && lo == 1;
    }

    @Override
    public String toString() {
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

    @Override
    public int compareTo(IpAddress o) {
        int c = Boolean.compare(!v4, !o.v4);
        if (c == 0) {
            c = Long.compareUnsigned(hi, o.hi);
        }
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
