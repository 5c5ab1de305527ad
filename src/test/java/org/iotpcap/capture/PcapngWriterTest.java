package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.testing.CaptureBytes;
import org.junit.jupiter.api.Test;

/**
 * What PcapngWriter writes reads back, through our pcapng reader, as the capture it copied: the same frames with
 * the same bytes, lengths (a frame cut by the snap length too), timestamps and interface ids, and the same
 * interfaces (link type, snap length, name, if_tsresol, if_tsoffset), for decimal and binary resolutions and for
 * interfaces spread over two sections of different byte orders (pcapng sections 4.1 to 4.3).
 */
class PcapngWriterTest {
    @Test
    void aCopyReadsBackAsTheOriginal() throws Exception {
        CaptureBytes.Pcapng in = CaptureBytes.Pcapng.le();
        in.interfaceBlock(1, 65535, in.tsresol(6), in.name("eth0"));
        in.interfaceBlock(113, 262144, in.tsresol(0x80 | 20), in.tsoffset(100));
        in.epb(0, 1_700_000_000_123_456L, new byte[] {1, 2, 3, 4, 5});
        in.epb(1, (1_700_000_000L << 20) + 777_777, new byte[] {9, 8, 7}, 1500);
        in.section(ByteOrder.BIG_ENDIAN);
        in.interfaceBlock(276, 0, in.tsresol(9));
        in.epb(0, 1_700_000_001_000_000_001L, new byte[] {0x42});
        in.epb(0, 1_700_000_002_000_000_000L, new byte[0]);

        List<String> original = new ArrayList<>();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        List<CaptureInterface> interfaces;
        try (CaptureReader r = Captures.open(new ByteArrayInputStream(in.bytes()), Diagnostics.IGNORE, Limits.DEFAULTS);
             PcapngWriter w = new PcapngWriter(copy, "a comment naming the analysis")) {
            CaptureRecord rec = new CaptureRecord();
            while (r.next(rec)) {
                original.add(describe(rec));
                w.interfacesUpTo(r, rec.interfaceId());
                w.frame(rec, "frame " + rec.frameNumber());
            }
            interfaces = List.copyOf(r.interfaces());
            assertThat(w.framesWritten()).isEqualTo(4);
        }
        assertThat(original).hasSize(4);

        List<String> back = new ArrayList<>();
        try (CaptureReader r = Captures.open(new ByteArrayInputStream(copy.toByteArray()), Diagnostics.IGNORE, Limits.DEFAULTS)) {
            CaptureRecord rec = new CaptureRecord();
            while (r.next(rec)) {
                back.add(describe(rec));
            }
            assertThat(r.warnings()).isEmpty();
            assertThat(r.sections()).isEqualTo(1);
            assertThat(r.interfaces()).hasSize(interfaces.size());
            for (int i = 0; i < interfaces.size(); i++) {
                CaptureInterface a = interfaces.get(i);
                CaptureInterface b = r.interfaces().get(i);
                assertThat(List.of(b.id(), b.linkType(), b.snapLength(), String.valueOf(b.name()), b.tsResolution(), b.tsOffsetSeconds()))
                        .isEqualTo(List.of(a.id(), a.linkType(), a.snapLength(), String.valueOf(a.name()), a.tsResolution(), a.tsOffsetSeconds()));
            }
        }
        assertThat(back).isEqualTo(original);
    }

    @Test
    void ticksInvertTheReadersConversion() {
        long[] seconds = {0, 1, 1_700_000_000L};
        for (int res : new int[] {0x80 | 1, 0x80 | 10, 0x80 | 20, 0x80 | 30, 0x80 | 33}) {
            int bits = res & 0x7f;
            for (long s : seconds) {
                for (long frac : new long[] {0, 1, (1L << bits) - 1, (1L << bits) / 3}) {
                    long tick = (s << bits) + frac;
                    long n = Timestamps.ticksToNanos(tick, res);
                    // a binary tick finer than a nanosecond may be written as another tick of the same nanosecond
                    assertThat(Timestamps.ticksToNanos(PcapngWriter.ticks(n, res), res)).as("res %x tick %d", res, tick)
                            .isEqualTo(n);
                }
            }
        }
        for (int res = 0; res <= 9; res++) {
            long whole = 1_700_000_000_123_456_789L / (long) Math.pow(10, 9 - res) * (long) Math.pow(10, 9 - res);
            assertThat(Timestamps.ticksToNanos(PcapngWriter.ticks(whole, res), res)).isEqualTo(whole);
        }
    }

    private static String describe(CaptureRecord r) {
        return r.frameNumber() + " t=" + r.timestampNanos() + " if=" + r.interfaceId() + " lt=" + r.linkType()
                + " cap=" + r.capturedLength() + " orig=" + r.originalLength() + " "
                + java.util.HexFormat.of().formatHex(r.copyData());
    }
}
