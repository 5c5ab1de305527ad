package org.iotpcap.capture;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.iotpcap.bytes.Bytes;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;

/** Opens captures: by path, or {@code -} for standard input; gzip is recognised by its magic, not its name. */
public final class Captures {
    private Captures() {}

    public static CaptureReader open(String pathOrDash) throws IOException {
        return open(pathOrDash, Diagnostics.IGNORE, Limits.DEFAULTS);
    }

    /**
     * File name endings of captures (gzip-compressed ones included): what a directory contributes when the CLI
     * or the Spark source is given one.
     */
    public static final java.util.List<String> FILE_ENDINGS = java.util.List.of(".pcap", ".pcapng", ".cap", ".gz");

    public static CaptureReader open(String pathOrDash, Diagnostics diagnostics, Limits limits) throws IOException {
        return open(openLocal(pathOrDash), diagnostics, limits);
    }

    /** A local file's bytes, or standard input for {@code -} ({@link CaptureFiles#LOCAL}). */
    static InputStream openLocal(String pathOrDash) throws IOException {
        if ("-".equals(pathOrDash)) {
            return System.in;
        }
        Path path = Path.of(pathOrDash);
        if (!Files.exists(path)) {
            throw new NoSuchFileException(pathOrDash, null, "no such file");
        }
        if (Files.isDirectory(path)) {
            throw new NotACaptureException(pathOrDash + " is a directory, not a capture file");
        }
        return Files.newInputStream(path);
    }

    /** Reads a capture from a stream (closed with the reader). */
    public static CaptureReader open(InputStream raw, Diagnostics diagnostics, Limits limits) throws IOException {
        ByteSource.Counting counted = new ByteSource.Counting(raw);
        BufferedInputStream peek = new BufferedInputStream(counted, 1 << 16);
        peek.mark(4);
        byte[] head = peek.readNBytes(4);
        peek.reset();
        boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
        InputStream in = peek;
        if (gzip) {
            try {
                in = new GZIPInputStream(peek, 1 << 16);
            } catch (java.util.zip.ZipException | java.io.EOFException e) {
                peek.close();
                throw new NotACaptureException("gzip-compressed, but its gzip header is damaged or cut short ("
                        + e.getMessage() + ")");
            }
        }
        try {
            CaptureReader reader = openPlain(in, diagnostics, limits);
            reader.compressed = gzip;
            reader.rawBytes = counted;
            return reader;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static CaptureReader openPlain(InputStream in, Diagnostics diagnostics, Limits limits) throws IOException {
        ByteSource src = new ByteSource(in);
        src.ensure(16);
        int n = src.available();
        if (n < 4) {
            throw new NotACaptureException(n == 0 ? "the input is empty" : "the input has only " + n + " bytes");
        }
        byte[] b = src.array();
        int be = Bytes.i32be(b, 0);
        int le = Bytes.i32le(b, 0);
        if (be == PcapngReader.SHB) {
            return new PcapngReader(src, in, diagnostics, limits);
        }
        for (int magic : new int[] {PcapReader.MAGIC_MICRO, PcapReader.MAGIC_NANO, PcapReader.MAGIC_MODIFIED}) {
            if (be == magic || le == magic) {
                return new PcapReader(src, in, diagnostics, limits);
            }
        }
        throw new NotACaptureException("not a pcap or pcapng capture: it looks like " + FileKinds.describe(b, n));
    }
}
