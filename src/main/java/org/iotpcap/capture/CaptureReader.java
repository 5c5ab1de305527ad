package org.iotpcap.capture;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;

/**
 * Streams the records of a pcap or pcapng capture. Pull with {@link #next(CaptureRecord)}; memory is a
 * read buffer whatever the file size. Problems in the file are reported to the {@link Diagnostics} and
 * counted; a file cut short yields every complete record and one warning.
 *
 * <p>Open one with {@link Captures#open}.
 */
public abstract class CaptureReader implements Closeable {
    final ByteSource src;
    final InputStream stream;
    final Diagnostics diagnostics;
    final Limits limits;
    final List<CaptureInterface> interfaces = new ArrayList<>();
    final Map<String, Long> skippedBlocks = new TreeMap<>();
    final List<String> warnings = new ArrayList<>();
    long frames;
    int sections;
    boolean compressed;
    /** The bytes read from the input under any gzip (set by {@link Captures#open}). */
    ByteSource.Counting rawBytes;

    CaptureReader(ByteSource src, InputStream stream, Diagnostics diagnostics, Limits limits) {
        this.src = src;
        this.stream = stream;
        this.diagnostics = diagnostics;
        this.limits = limits;
    }

    /** Told the text of each TLS key log the capture carries (pcapng Decryption Secrets Blocks). */
    java.util.function.Consumer<String> tlsKeyLog = text -> {};

    /** Where the capture's own TLS key logs go (default: nowhere); they come before the frames they decrypt. */
    public void onTlsKeyLog(java.util.function.Consumer<String> consumer) {
        tlsKeyLog = consumer;
    }

    /** Fills {@code record} with the next frame; false at the end of the capture (or where it became unreadable). */
    public abstract boolean next(CaptureRecord record) throws IOException;

    public abstract CaptureFormat format();

    /** The interfaces described so far (all of them once the capture is read to its end). */
    public List<CaptureInterface> interfaces() {
        return Collections.unmodifiableList(interfaces);
    }

    /** Sections (pcapng Section Header Blocks; 1 for pcap). */
    public int sections() {
        return sections;
    }

    /** Blocks skipped because iotpcap does not use them, by kind (e.g. "custom", "unknown 0x00000099"). */
    public Map<String, Long> skippedBlocks() {
        return Collections.unmodifiableMap(skippedBlocks);
    }

    /** Problems that ended the reading early (truncation, an unreadable block). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public long framesRead() {
        return frames;
    }

    /**
     * How far the input is read, in bytes of the file or stream as it is stored, for progress against the
     * file's size. Uncompressed: the offset just past the last record returned (the file's size at its end).
     * Gzip: the compressed bytes read from the file so far, which run ahead of the records returned by what
     * the read buffers hold (64 KiB compressed and 1 MiB decompressed); the file's size once it is read to its
     * end. Cheap: a field read, no system call.
     */
    public long position() {
        return compressed && rawBytes != null ? rawBytes.count() : src.offset();
    }

    /** True when the input was gzip-compressed. */
    public boolean compressed() {
        return compressed;
    }

    void warn(String reason, String detail) {
        warnings.add(detail);
        diagnostics.report(frames + 1, Layer.CAPTURE, reason, detail);
    }

    private boolean cutShortReported;

    /**
     * Called where the input ended between records: a compressed input cut short still lost its tail, so it
     * gets the one warning a plain file cut inside a record gets.
     */
    void endedBetweenRecords() {
        if (src.cutShort() && !cutShortReported && warnings.isEmpty()) {
            cutShortReported = true;
            if (src.corrupt() != null) {
                warn("corrupt_compressed_input", "the compressed input is damaged after " + src.offset()
                        + " decompressed bytes (" + src.corrupt() + "); reading stops");
            } else {
                warn("truncated_compressed_input", "capture is cut short: the compressed input ends without its "
                        + "end marker after " + src.offset() + " decompressed bytes");
            }
        }
    }

    void countSkipped(String kind) {
        skippedBlocks.merge(kind, 1L, Long::sum);
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
