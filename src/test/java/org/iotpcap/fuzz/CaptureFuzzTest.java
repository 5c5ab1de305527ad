package org.iotpcap.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPOutputStream;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.NotACaptureException;

/**
 * The capture readers over the fuzzer's bytes: pcap, pcapng (each seeded with its own format, though either
 * target may reach the other reader through the magic), and gzip input (the fuzzer's bytes as the compressed
 * stream, and the fuzzer's bytes compressed). Only {@link NotACaptureException} may leave {@code open}; reading
 * never throws (the input is in memory, so any IOException is a bug) and reports problems through the
 * diagnostics. Every record's bytes lie inside its array, frames count up from 1, and memory stays within the
 * read buffer plus the largest record.
 */
class CaptureFuzzTest {

    /** Small enough that the fuzzer reaches it; the readers must refuse larger records before allocating. */
    private static final Limits LIMITS = new Limits(1 << 16, Limits.DEFAULTS.fragmentTimeoutNanos(),
            Limits.DEFAULTS.maxFragmentDatagramBytes(), 16, 1 << 16, 1 << 20, 64);

    @FuzzTest(maxDuration = "10s")
    void pcap(byte[] data) throws Exception {
        read(data, Limits.DEFAULTS);
        read(data, LIMITS);
    }

    @FuzzTest(maxDuration = "10s")
    void pcapng(byte[] data) throws Exception {
        read(data, Limits.DEFAULTS);
        read(data, LIMITS);
    }

    @FuzzTest(maxDuration = "10s")
    void gzip(byte[] data) throws Exception {
        read(data, LIMITS);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(z)) {
            out.write(data);
        }
        byte[] compressed = z.toByteArray();
        read(compressed, LIMITS);
        // the same compressed stream cut short, as a full disk leaves it
        read(java.util.Arrays.copyOf(compressed, compressed.length * 2 / 3), LIMITS);
    }

    static void read(byte[] data, Limits limits) throws Exception {
        // buffers (1 MiB read window, 64 KiB stream buffers) plus records up to the limit, twice for growth
        FuzzChecks.withinBudget((4L << 20) + 3L * limits.maxRecordBytes() + 64L * data.length, "reading a capture",
                () -> readAll(data, limits));
    }

    private static void readAll(byte[] data, Limits limits) throws IOException {
        long[] problems = {0};
        Diagnostics diag = (frame, layer, reason, detail) -> {
            FuzzChecks.check(frame >= 0 && layer == Layer.CAPTURE && reason != null && !reason.isBlank()
                    && detail != null, "diagnostic " + frame + " " + layer + " " + reason + " " + detail);
            problems[0]++;
        };
        CaptureReader reader;
        try {
            reader = Captures.open(new ByteArrayInputStream(data), diag, limits);
        } catch (NotACaptureException e) {
            FuzzChecks.check(e.getMessage() != null && !e.getMessage().isBlank(), "NotACaptureException without message");
            return;
        }
        try (reader) {
            CaptureRecord r = new CaptureRecord();
            long expected = 0;
            while (reader.next(r)) {
                expected++;
                FuzzChecks.check(r.frameNumber() == expected, "frame " + r.frameNumber() + " after " + (expected - 1));
                FuzzChecks.check(r.capturedLength() >= 0 && r.offset() >= 0
                        && r.offset() + (long) r.capturedLength() <= r.data().length,
                        "record bytes " + r.offset() + "+" + r.capturedLength() + " outside an array of " + r.data().length);
                FuzzChecks.check(r.capturedLength() <= limits.maxRecordBytes(), "record over the limit");
                FuzzChecks.check(r.originalLength() >= 0, "negative original length");
            }
            FuzzChecks.check(!reader.next(r), "next() true after false");
            FuzzChecks.check(reader.framesRead() == expected, "framesRead " + reader.framesRead());
        }
    }
}
