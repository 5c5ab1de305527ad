package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.iotpcap.testing.CaptureBytes;

/**
 * {@link CaptureReader#position()}: how far the stored input is read, the figure progress compares with the
 * file's size. Expected offsets come from the layouts the tests write (pcap: a 24-byte file header, then a
 * 16-byte record header and the data per record), never from the reader.
 */
class CapturePositionTest {
    @TempDir
    Path tmp;

    private static final int RECORDS = 40_000;
    private static final int DATA = 200;

    /** 40,000 records of 200 random (incompressible) bytes: 8.6 MB, eight times the largest read buffer. */
    private static byte[] bigPcap() {
        Random random = new Random(42);
        CaptureBytes.Pcap pcap = CaptureBytes.Pcap.micro(1);
        for (int i = 0; i < RECORDS; i++) {
            byte[] data = new byte[DATA];
            random.nextBytes(data);
            pcap.record(i, 0, data);
        }
        return pcap.bytes();
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            g.write(plain);
        }
        return o.toByteArray();
    }

    /** Positions after open and after each record, then after the end. */
    private static List<Long> positions(CaptureReader r) throws IOException {
        List<Long> at = new ArrayList<>();
        at.add(r.position());
        CaptureRecord rec = new CaptureRecord();
        while (r.next(rec)) {
            at.add(r.position());
        }
        at.add(r.position());
        return at;
    }

    @Test
    void position_uncompressedPcap_isTheOffsetPastEachRecord() throws Exception {
        byte[] plain = bigPcap();
        Path f = tmp.resolve("big.pcap");
        Files.write(f, plain);
        try (CaptureReader r = Captures.open(f.toString())) {
            List<Long> at = positions(r);
            assertThat(at).hasSize(RECORDS + 2);
            for (int i = 1; i <= RECORDS; i++) {
                assertThat(at.get(i)).as("after record %d", i).isEqualTo(24L + (long) i * (16 + DATA));
            }
            assertThat(at.get(RECORDS + 1)).isEqualTo(Files.size(f)).isEqualTo(plain.length);
        }
    }

    @Test
    void position_uncompressedPcapng_reachesTheFileSize() throws Exception {
        Path f = Path.of("fixtures/captures/sample.pcapng");
        try (CaptureReader r = Captures.open(f.toString())) {
            List<Long> at = positions(r);
            assertThat(at).isSorted();
            assertThat(at.get(1)).isLessThan(Files.size(f));
            assertThat(at.getLast()).isEqualTo(Files.size(f));
        }
    }

    @Test
    void position_gzip_countsCompressedBytes_upToTheFileSize() throws Exception {
        byte[] compressed = gzip(bigPcap());
        Path f = tmp.resolve("big.pcap.gz");
        Files.write(f, compressed);
        try (CaptureReader r = Captures.open(f.toString())) {
            List<Long> at = positions(r);
            assertThat(r.compressed()).isTrue();
            assertThat(at).isSorted();
            // After the first record, only the read buffers' worth of the file has been read, not all of it.
            assertThat(at.get(1)).isPositive().isLessThan(compressed.length / 2);
            // Half-way through the records, the position is somewhere in the middle of the compressed file.
            assertThat(at.get(RECORDS / 2)).isBetween(compressed.length * 4L / 10, compressed.length * 3L / 4);
            assertThat(at.getLast()).isEqualTo(compressed.length);
        }
    }

    @Test
    void position_standardInputStyleStream_countsWithoutKnowingTheSize() throws Exception {
        byte[] plain = bigPcap();
        try (CaptureReader r = Captures.open(new ByteArrayInputStream(plain), Diagnostics.IGNORE, Limits.DEFAULTS)) {
            List<Long> at = positions(r);
            assertThat(at.get(RECORDS)).isEqualTo(plain.length);
        }
    }
}
