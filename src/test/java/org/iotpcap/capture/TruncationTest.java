package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.Test;

/**
 * A capture cut at every byte offset yields every complete frame, with the same bytes as the uncut file, and
 * exactly one warning when the cut falls inside a record (none when it falls between records); never an
 * exception once the file header is complete.
 */
class TruncationTest {

    /** Record boundaries (offsets where a record ends) and the frames of a capture built in the test. */
    private record Built(byte[] bytes, List<Integer> frameEnds, List<Integer> otherBoundaries, int headerEnd,
                         List<byte[]> frames) {}

    private static Built pcap() {
        List<byte[]> frames = List.of(bytes(60, 1), bytes(1, 2), bytes(0, 3), bytes(97, 4));
        CaptureBytes.Pcap p = CaptureBytes.Pcap.micro(1);
        List<Integer> ends = new ArrayList<>();
        int at = 24;
        for (int i = 0; i < frames.size(); i++) {
            p.record(100 + i, i, frames.get(i));
            at += 16 + frames.get(i).length;
            ends.add(at);
        }
        return new Built(p.bytes(), ends, List.of(), 24, frames);
    }

    private static Built pcapng() {
        List<byte[]> frames = List.of(bytes(61, 1), bytes(2, 2), bytes(0, 3), bytes(33, 4));
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1);
        int headerEnd = ng.bytes().length;
        List<Integer> ends = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            ng.epb(0, 1000 + i, frames.get(i));
            ends.add(ng.bytes().length);
            if (i == 1) {
                ng.block(0x99, new byte[] {1, 2, 3, 4}); // a skipped block between frames
                other.add(ng.bytes().length);
            }
        }
        return new Built(ng.bytes(), ends, other, headerEnd, frames);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }

    @Test
    void pcap_cutAtEveryOffset() throws Exception {
        cutEverywhere(pcap());
    }

    @Test
    void pcapng_cutAtEveryOffset() throws Exception {
        cutEverywhere(pcapng());
    }

    private static void cutEverywhere(Built b) throws Exception {
        for (int cut = b.headerEnd(); cut <= b.bytes().length; cut++) {
            Read r = Read.all(Arrays.copyOf(b.bytes(), cut));
            int complete = 0;
            boolean atBoundary = cut == b.headerEnd();
            for (int i = 0; i < b.frameEnds().size(); i++) {
                if (b.frameEnds().get(i) <= cut) {
                    complete = i + 1;
                }
            }
            atBoundary |= b.frameEnds().contains(cut) || b.otherBoundaries().contains(cut);
            assertThat(r.frames).as("frames at cut " + cut).hasSize(complete);
            for (int i = 0; i < complete; i++) {
                assertThat(r.frames.get(i).data()).as("frame " + (i + 1) + " at cut " + cut)
                        .containsExactly(b.frames().get(i));
            }
            assertThat(r.reader.warnings()).as("warnings at cut " + cut).hasSize(atBoundary ? 0 : 1);
        }
    }

    @Test
    void gzipCutAnywhere_yieldsTheCompleteFramesAndOneWarning_neverAnException() throws Exception {
        Built b = pcap();
        byte[] gz = CapturesTest.gzip(b.bytes());
        // past the 10-byte gzip header and the start of the deflate stream, every cut must read cleanly
        for (int cut = 40; cut < gz.length; cut++) {
            Read r;
            try {
                r = Read.all(Arrays.copyOf(gz, cut));
            } catch (NotACaptureException e) {
                continue; // not even the pcap header got through: said so, as a NotACaptureException
            }
            assertThat(r.frames.size()).as("frames at cut " + cut).isLessThanOrEqualTo(b.frames().size());
            for (int i = 0; i < r.frames.size(); i++) {
                assertThat(r.frames.get(i).data()).containsExactly(b.frames().get(i));
            }
            assertThat(r.reader.warnings()).as("warnings at cut " + cut + " of " + gz.length).hasSize(1);
        }
    }

    @Test
    void engine_onACutCapture_countsTheCompleteFrames_andKeepsTheWarning() throws Exception {
        Built b = pcap();
        int cut = b.frameEnds().get(1) + 5; // inside the third record's header
        try (CaptureReader reader = Captures.open(new ByteArrayInputStream(Arrays.copyOf(b.bytes(), cut)),
                Diagnostics.IGNORE, Limits.DEFAULTS)) {
            Summary s = Engine.builder().build().run(reader);
            assertThat(s.frames).isEqualTo(2);
            assertThat(s.warnings).hasSize(1);
            assertThat(s.warnings.get(0)).contains("cut short");
        }
    }

    /** The smallest fixture capture, cut at every offset, against its uncut frames. */
    @Test
    void smallestFixture_cutAtEveryOffset() throws Exception {
        Path smallest = null;
        for (TestCaptures.TestCapture tc : TestCaptures.fixtures()) {
            long size = Files.size(tc.path());
            if (size <= 32 * 1024 && !tc.path().toString().endsWith(".gz")
                    && (smallest == null || size < Files.size(smallest))) {
                smallest = tc.path();
            }
        }
        assertThat(smallest).as("a fixture capture of at most 32 KiB").isNotNull();
        byte[] whole = Files.readAllBytes(smallest);
        Read uncut = Read.all(whole);
        assertThat(uncut.reader.warnings()).isEmpty();
        int headerEnd = 24;
        for (int cut = headerEnd + 4; cut < whole.length; cut++) {
            Read r;
            try {
                r = Read.all(Arrays.copyOf(whole, cut));
            } catch (NotACaptureException e) {
                continue; // the file header itself is cut
            }
            assertThat(r.frames.size()).isLessThanOrEqualTo(uncut.frames.size());
            for (int i = 0; i < r.frames.size(); i++) {
                assertThat(r.frames.get(i).data()).as("frame " + (i + 1) + " at cut " + cut)
                        .containsExactly(uncut.frames.get(i).data());
                assertThat(r.frames.get(i).nanos()).isEqualTo(uncut.frames.get(i).nanos());
            }
            assertThat(r.reader.warnings().size()).as("warnings at cut " + cut).isLessThanOrEqualTo(1);
            if (r.frames.size() < uncut.frames.size() && r.reader.warnings().isEmpty()) {
                // no warning is right only where the cut falls exactly between two blocks
                assertThat(endsOnBoundary(whole, cut)).as("cut " + cut + " lost frames without a warning").isTrue();
            }
        }
    }

    /** True when {@code cut} is the end of a pcapng block or pcap record, walking the file's own lengths. */
    private static boolean endsOnBoundary(byte[] f, int cut) throws IOException {
        boolean ng = (f[0] & 0xff) == 0x0a && (f[1] & 0xff) == 0x0d;
        if (ng) {
            boolean le = f[8] == 0x4d;
            int at = 0;
            while (at + 8 <= f.length) {
                int len = le ? org.iotpcap.bytes.Bytes.i32le(f, at + 4) : org.iotpcap.bytes.Bytes.i32be(f, at + 4);
                at += len;
                if (at == cut) {
                    return true;
                }
                if (at > cut || len <= 0) {
                    return false;
                }
            }
            return false;
        }
        boolean le = (f[0] & 0xff) == 0xd4 || (f[0] & 0xff) == 0x4d || (f[0] & 0xff) == 0x34;
        int at = 24;
        while (at + 16 <= f.length) {
            int incl = le ? org.iotpcap.bytes.Bytes.i32le(f, at + 8) : org.iotpcap.bytes.Bytes.i32be(f, at + 8);
            at += 16 + incl;
            if (at == cut) {
                return true;
            }
            if (at > cut) {
                return false;
            }
        }
        return false;
    }
}
