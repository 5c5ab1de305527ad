package org.iotpcap.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.engine.Summary;
import org.iotpcap.testing.CaptureBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip bomb: a pcap whose records hold a gigabyte of zeros, compressed to about a megabyte. It is read in a
 * separate JVM limited to 64 MiB of heap, so inflating it into memory (or buffering more than one record at a
 * time) would fail with OutOfMemoryError; streamed, it reads every record with the read buffer and one record
 * (8 MiB here) in memory.
 */
class GzipBombTest {
    private static final int RECORD = 8 * 1024 * 1024;
    private static final int RECORDS = 128; // 1 GiB

    @TempDir
    Path tmp;

    @Test
    void gzipBomb_isStreamed_inA64MiBHeap() throws Exception {
        Path bomb = tmp.resolve("bomb.pcap.gz");
        // concatenated gzip members (RFC 1952 section 2.2; GZIPInputStream reads them as one stream): the
        // megabyte of zeros is compressed once and repeated, so making the bomb takes milliseconds
        byte[] megabyteOfZeros = gzip(new byte[1 << 20]);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(bomb))) {
            out.write(gzip(CaptureBytes.Pcap.header(ByteOrder.LITTLE_ENDIAN, CaptureBytes.MAGIC_MICRO, 101, RECORD)));
            for (int r = 0; r < RECORDS; r++) {
                ByteBuffer rh = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                CaptureBytes.Pcap.putRecordHeader(rh, 1_700_000_000 + r, 0, RECORD, RECORD);
                out.write(gzip(rh.array()));
                for (int i = 0; i < RECORD / (1 << 20); i++) {
                    out.write(megabyteOfZeros);
                }
            }
        }
        long compressed = Files.size(bomb);
        assertThat(compressed).isLessThan(2L << 20);

        String cp = location(Captures.class) + File.pathSeparator + location(GzipBombTest.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-cp", cp, Child.class.getName(), bomb.toString()))
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("child finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        // every record read: frames, bytes, one malformed-IP diagnostic per frame of zeros; nothing else
        assertThat(output.strip()).isEqualTo("frames=" + RECORDS + " bytes=" + (long) RECORDS * RECORD + " warnings=0");
    }

    private static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            z.write(data);
        }
        return b.toByteArray();
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Runs in the child JVM: reads the capture through the engine and prints what it counted. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            Summary s;
            try (CaptureReader r = Captures.open(args[0], (f, l, reason, d) -> {}, Limits.DEFAULTS)) {
                s = Engine.builder().build().run(r);
            }
            System.out.println("frames=" + s.frames + " bytes=" + s.bytes + " warnings=" + s.warnings.size());
        }
    }
}
