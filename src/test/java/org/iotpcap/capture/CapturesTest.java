package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.testing.CaptureBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening captures: gzip by magic, streams, and inputs that are not captures. */
class CapturesTest {
    @TempDir
    Path tmp;

    private static final byte[] A = {1, 2, 3};

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(plain);
        }
        return o.toByteArray();
    }

    @Test
    void gzip_isRecognisedByItsMagic_whateverTheFileName() throws Exception {
        byte[] plain = CaptureBytes.Pcap.micro(1).record(5, 6, A).bytes();
        Path f = tmp.resolve("looks-plain.pcap"); // no .gz suffix
        Files.write(f, gzip(plain));
        try (CaptureReader r = Captures.open(f.toString())) {
            CaptureRecord rec = new CaptureRecord();
            assertThat(r.next(rec)).isTrue();
            assertThat(rec.copyData()).containsExactly(A);
            assertThat(rec.timestampNanos()).isEqualTo(5_000006000L);
            assertThat(r.next(rec)).isFalse();
            assertThat(r.compressed()).isTrue();
        }
        Path plainFile = tmp.resolve("named.pcap.gz"); // a .gz name on an uncompressed file
        Files.write(plainFile, plain);
        try (CaptureReader r = Captures.open(plainFile.toString())) {
            assertThat(r.next(new CaptureRecord())).isTrue();
            assertThat(r.compressed()).isFalse();
        }
    }

    @Test
    void gzippedPcapng() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        byte[] plain = ng.interfaceBlock(1).epb(0, 1, A).bytes();
        Read r = Read.all(gzip(plain));
        assertThat(r.reader.compressed()).isTrue();
        assertThat(r.reader.format()).isEqualTo(CaptureFormat.PCAPNG);
        assertThat(r.frames).singleElement().satisfies(f -> assertThat(f.data()).containsExactly(A));
    }

    @Test
    void standardInput_isAStream_readOnce() throws Exception {
        byte[] plain = CaptureBytes.Pcap.micro(1).record(1, 0, A).record(2, 0, A).bytes();
        // a stream that hands out one byte per read, as a pipe may
        var trickle = new java.io.FilterInputStream(new ByteArrayInputStream(plain)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(1, len));
            }
        };
        try (CaptureReader r = Captures.open(trickle, Diagnostics.IGNORE, Limits.DEFAULTS)) {
            CaptureRecord rec = new CaptureRecord();
            int n = 0;
            while (r.next(rec)) {
                assertThat(rec.copyData()).containsExactly(A);
                n++;
            }
            assertThat(n).isEqualTo(2);
        }
    }

    @Test
    void text_isNotACapture_andTheMessageSaysItIsText() {
        byte[] text = "hello, this is a README\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> Captures.open(new ByteArrayInputStream(text), Diagnostics.IGNORE, Limits.DEFAULTS))
                .isInstanceOf(NotACaptureException.class).hasMessageContaining("text");
    }

    @Test
    void zip_isNotACapture_andTheMessageSaysItIsAZip() throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry("capture.pcap"));
            z.write(CaptureBytes.Pcap.micro(1).bytes());
            z.closeEntry();
        }
        assertThatThrownBy(() -> Read.all(o.toByteArray()))
                .isInstanceOf(NotACaptureException.class).hasMessageContaining("zip");
    }

    @Test
    void empty_isNotACapture_andTheMessageSaysItIsEmpty() throws Exception {
        Path f = tmp.resolve("empty.pcap");
        Files.write(f, new byte[0]);
        assertThatThrownBy(() -> Captures.open(f.toString()))
                .isInstanceOf(NotACaptureException.class).hasMessageContaining("empty");
    }

    @Test
    void emptyGzip_isNotACapture() throws Exception {
        assertThatThrownBy(() -> Read.all(gzip(new byte[0])))
                .isInstanceOf(NotACaptureException.class).hasMessageContaining("empty");
    }

    @Test
    void pcapHeaderCutShort_isNotACapture() {
        byte[] head = java.util.Arrays.copyOf(CaptureBytes.Pcap.micro(1).bytes(), 10);
        assertThatThrownBy(() -> Read.all(head)).isInstanceOf(NotACaptureException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void missingFile_andDirectory() {
        assertThatThrownBy(() -> Captures.open(tmp.resolve("nope.pcap").toString()))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Captures.open(tmp.toString()))
                .isInstanceOf(NotACaptureException.class).hasMessageContaining("directory");
    }
}
