package org.iotpcap.fuzz;

import java.lang.management.ManagementFactory;
import org.iotpcap.dissect.DecodeResult;

/**
 * What every fuzz target asserts beyond "no exception escapes": results whose offsets lie inside the input,
 * and allocation bounded by the input (measured per thread by the JVM, so cheap enough to check every run).
 */
final class FuzzChecks {
    private FuzzChecks() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated by this thread so far. */
    static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Code under test, which may throw anything (the fuzz target reports it). */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} and fails when it allocated more than {@code budget} bytes. The first run of a code path
     * also pays for class loading and call-site bootstraps (megabytes, once), so a run over the budget is
     * repeated and only the second, warm run is judged; the code under test is deterministic.
     */
    static void withinBudget(long budget, String what, Body body) throws Exception {
        long before = allocated();
        body.run();
        long used = allocated() - before;
        if (used <= budget) {
            return;
        }
        before = allocated();
        body.run();
        used = allocated() - before;
        if (used > budget) {
            throw new AssertionError(what + " allocated " + used + " bytes, over the budget of " + budget);
        }
    }

    /** A Malformed offset lies in [0, length]; a Truncated result needs more than it has, which is at most length. */
    static void inRange(DecodeResult<?> r, int length, String what) {
        if (r == null) {
            throw new AssertionError(what + " returned null");
        }
        if (r instanceof DecodeResult.Malformed<?> m) {
            if (m.offset() < 0 || m.offset() > length) {
                throw new AssertionError(what + " Malformed offset " + m.offset() + " outside [0, " + length + "]: " + m);
            }
            if (m.reason() == null || m.detail() == null) {
                throw new AssertionError(what + " Malformed without reason or detail: " + m);
            }
        } else if (r instanceof DecodeResult.Truncated<?> t) {
            if (t.captured() < 0 || t.captured() > length || t.needed() <= t.captured()) {
                throw new AssertionError(what + " Truncated(" + t.needed() + ", " + t.captured() + ") with "
                        + length + " bytes");
            }
        } else if (r instanceof DecodeResult.Decoded<?> d && d.value() == null) {
            throw new AssertionError(what + " Decoded(null)");
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
