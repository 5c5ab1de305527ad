package org.iotpcap.capture;

import java.math.BigInteger;

/** Exact conversion of capture timestamps to nanoseconds since the epoch. */
public final class Timestamps {
    private Timestamps() {}

    private static final long[] POW10 = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L
    };

    /**
     * pcapng if_tsresol (section 4.2): bit 7 clear, ticks are 10^-n s; set, ticks are 2^-n s.
     * Resolutions finer than a nanosecond are rounded down to whole nanoseconds.
     */
    public static long ticksToNanos(long ticks, int tsresol) {
        int n = tsresol & 0x7f;
        if ((tsresol & 0x80) == 0) {
            if (n <= 9) {
                return ticks * POW10[9 - n];
            }
            long div = n - 9 >= POW10.length ? Long.MAX_VALUE : POW10[n - 9];
            return Long.divideUnsigned(ticks, div);
        }
        if (n == 0) {
            return ticks * 1_000_000_000L;
        }
        if (n < 32) {
            // seconds = ticks >> n; fraction (ticks mod 2^n) * 1e9 >> n stays below 2^62
            long whole = ticks >>> n;
            long frac = ticks & ((1L << n) - 1);
            return whole * 1_000_000_000L + ((frac * 1_000_000_000L) >>> n);
        }
        return new BigInteger(Long.toUnsignedString(ticks)).multiply(BigInteger.valueOf(1_000_000_000L))
                .shiftRight(n).longValue();
    }

    /** Seconds.fraction with nine digits, as tshark prints frame.time_epoch. */
    public static String epochString(long nanos) {
        long s = Math.floorDiv(nanos, 1_000_000_000L);
        long ns = Math.floorMod(nanos, 1_000_000_000L);
        return s + "." + String.format("%09d", ns);
    }

    /** ISO 8601 UTC with nanoseconds. */
    public static String iso(long nanos) {
        return java.time.Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L))
                .toString();
    }
}
