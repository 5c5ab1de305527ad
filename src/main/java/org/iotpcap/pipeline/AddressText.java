package org.iotpcap.pipeline;

import org.iotpcap.ip.IpAddress;

/**
 * The text of IP addresses for table rows, cached: a capture has few addresses and many frames, so formatting
 * (and allocating) the same text for every frame is the frames table's largest cost otherwise. A small
 * direct-mapped cache ({@value #SLOTS} slots): a miss formats the address and replaces the slot, so memory is
 * bounded whatever the number of addresses.
 */
final class AddressText {
    private static final int SLOTS = 4096;

    private final long[] hi = new long[SLOTS];
    private final long[] lo = new long[SLOTS];
    private final boolean[] v4s = new boolean[SLOTS];
    private final String[] text = new String[SLOTS];

    String of(IpAddress a) {
        return of(a.hi(), a.lo(), a.v4());
    }

    /** The text of {@code IpAddress.of(hi, lo)}; {@code v4} as in {@link IpAddress#v4()}. */
    String of(long h, long l, boolean v4) {
        long mix = (h * 0x9E3779B97F4A7C15L) ^ (l * 0xC2B2AE3D27D4EB4FL) ^ (v4 ? 1 : 0);
        int slot = (int) (mix ^ (mix >>> 29)) & (SLOTS - 1);
        String t = text[slot];
        if (t != null && hi[slot] == h && lo[slot] == l && v4s[slot] == v4) {
            return t;
        }
        t = new IpAddress(h, l, v4).toString();
        hi[slot] = h;
        lo[slot] = l;
        v4s[slot] = v4;
        text[slot] = t;
        return t;
    }
}
