package org.iotpcap.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;

/**
 * Several capture files read as one capture in time order, as {@code mergecap} writes them: a k-way merge on the
 * records' timestamps, ties going to the file given first (and, within a file, the file's own order, as
 * mergecap keeps it). What a ring buffer of dumpcap ({@code -b filesize:} or {@code -b packets:}) cut into
 * files becomes one capture again, so a TCP connection or an MQTT session that runs on from one file into the
 * next is one.
 *
 * <p>Frames are numbered from 1 across the merged capture. Interfaces are merged as mergecap's default IDB merge
 * mode ({@code -I all}) does: when every file describes the same interfaces (link type, snap length, name,
 * timestamp resolution and offset), as the files of one ring buffer do, they are the first file's interfaces;
 * otherwise each file's interfaces follow those of the files before it (file 2's interface 0 is the first id
 * after file 1's interfaces). The interfaces compared are those described before each file's first record.
 * Capture-level diagnostics of a file are reported at the merged frame number about to be read, their detail
 * prefixed with the file's name.
 *
 * <p>Memory: one read buffer per file; every file is open for the whole read.
 */
public final class MergingCaptureReader extends CaptureReader {
    private final List<CaptureReader> readers;
    private final CaptureRecord[] heads;
    private final boolean[] live;
    /** The file whose record was returned last: advanced at the next call, not before, so its data stays valid. */
    private int pending = -1;
    /** Whether every file describes the same interfaces (then they are the first file's). */
    private boolean sameInterfaces;
    /** Per file, the merged id of its interface 0. */
    private final int[] interfaceOffset;
    private final List<CaptureInterface> merged = new ArrayList<>();
    private final List<String> keyLogsBeforeConsumer = new ArrayList<>();
    private boolean consumerSet;

    private MergingCaptureReader(List<CaptureReader> readers, Diagnostics diagnostics, Limits limits) {
        super(null, InputStream.nullInputStream(), diagnostics, limits);
        this.readers = readers;
        this.heads = new CaptureRecord[readers.size()];
        this.live = new boolean[readers.size()];
        this.interfaceOffset = new int[readers.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = new CaptureRecord();
        }
    }

    /**
     * Opens every file (none of them {@code -}: standard input cannot be merged with files) and reads its
     * first record. An error opening one closes those already open.
     */
    public static MergingCaptureReader open(List<String> paths, Diagnostics diagnostics, Limits limits)
            throws IOException {
        return open(paths, CaptureFiles.LOCAL, diagnostics, limits);
    }

    /** As {@link #open(List, Diagnostics, Limits)}, each name opened through {@code files}. */
    public static MergingCaptureReader open(List<String> paths, CaptureFiles files, Diagnostics diagnostics,
                                            Limits limits) throws IOException {
        List<CaptureReader> readers = new ArrayList<>();
        MergingCaptureReader[] self = new MergingCaptureReader[1];
        try {
            for (String p : paths) {
                if ("-".equals(p)) {
                    throw new NotACaptureException("standard input (-) cannot be merged with other captures");
                }
                Diagnostics mapped = (frame, layer, reason, detail) -> {
                    long at = self[0] == null ? 1 : self[0].frames + 1;
                    diagnostics.report(at, layer, reason, p + ": " + detail);
                };
                try {
                    readers.add(Captures.open(files.open(p), mapped, limits));
                } catch (NotACaptureException e) {
                    throw new NotACaptureException(p + ": " + e.getMessage());
                }
            }
            MergingCaptureReader m = new MergingCaptureReader(readers, diagnostics, limits);
            self[0] = m;
            for (CaptureReader r : readers) {
                r.onTlsKeyLog(m::keyLog);
            }
            for (int i = 0; i < readers.size(); i++) {
                m.live[i] = readers.get(i).next(m.heads[i]);
            }
            m.mergeInterfaces();
            return m;
        } catch (IOException | RuntimeException e) {
            for (CaptureReader r : readers) {
                try {
                    r.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Every file's key logs (pcapng Decryption Secrets Blocks) go to the one consumer; those read while the first
     * frame of each file was read at open time are kept until a consumer is set, so none is lost.
     */
    @Override
    public void onTlsKeyLog(java.util.function.Consumer<String> consumer) {
        super.onTlsKeyLog(consumer);
        keyLogsBeforeConsumer.forEach(consumer);
        keyLogsBeforeConsumer.clear();
        consumerSet = true;
    }

    private void keyLog(String text) {
        if (consumerSet) {
            tlsKeyLog.accept(text);
        } else {
            keyLogsBeforeConsumer.add(text);
        }
    }

    @Override
    public boolean next(CaptureRecord record) throws IOException {
        if (pending >= 0) {
            live[pending] = readers.get(pending).next(heads[pending]);
            pending = -1;
        }
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (live[i] && (best < 0 || heads[i].timestampNanos < heads[best].timestampNanos)) {
                best = i;
            }
        }
        if (best < 0) {
            return false;
        }
        CaptureRecord h = heads[best];
        record.frameNumber = ++frames;
        record.timestampNanos = h.timestampNanos;
        record.interfaceId = mapInterface(best, h.interfaceId);
        record.linkType = h.linkType;
        record.capturedLength = h.capturedLength;
        record.originalLength = h.originalLength;
        record.data = h.data;
        record.offset = h.offset;
        record.fileOffset = h.fileOffset;
        pending = best;
        return true;
    }

    private static List<Object> description(CaptureInterface i) {
        return java.util.Arrays.asList(i.linkType(), i.snapLength(), i.name(), i.tsResolution(), i.tsOffsetSeconds());
    }

    private void mergeInterfaces() {
        List<List<Object>> first = readers.get(0).interfaces().stream().map(MergingCaptureReader::description).toList();
        sameInterfaces = true;
        for (CaptureReader r : readers) {
            sameInterfaces &= r.interfaces().stream().map(MergingCaptureReader::description).toList().equals(first);
        }
        int next = 0;
        for (int f = 0; f < readers.size(); f++) {
            interfaceOffset[f] = sameInterfaces ? 0 : next;
            if (f == 0 || !sameInterfaces) {
                for (CaptureInterface i : readers.get(f).interfaces()) {
                    merged.add(new CaptureInterface(next++, 0, i.linkType(), i.snapLength(), i.name(),
                            i.tsResolution(), i.tsOffsetSeconds()));
                }
            }
        }
    }

    private int mapInterface(int file, int local) {
        return interfaceOffset[file] + local;
    }

    /** pcapng when any file is pcapng (as mergecap writes), else pcap. */
    @Override
    public CaptureFormat format() {
        for (CaptureReader r : readers) {
            if (r.format() != readers.get(0).format()) {
                return CaptureFormat.PCAPNG;
            }
        }
        return readers.get(0).format();
    }

    /** The merged interfaces. */
    @Override
    public List<CaptureInterface> interfaces() {
        return java.util.Collections.unmodifiableList(merged);
    }

    /** One section per file: mergecap writes one, but each file was its own section. */
    @Override
    public int sections() {
        int n = 0;
        for (CaptureReader r : readers) {
            n += r.sections();
        }
        return n;
    }

    @Override
    public Map<String, Long> skippedBlocks() {
        Map<String, Long> all = new TreeMap<>();
        for (CaptureReader r : readers) {
            r.skippedBlocks().forEach((k, v) -> all.merge(k, v, Long::sum));
        }
        return all;
    }

    @Override
    public List<String> warnings() {
        List<String> all = new ArrayList<>();
        for (CaptureReader r : readers) {
            all.addAll(r.warnings());
        }
        return all;
    }

    /** Bytes read of all files together. */
    @Override
    public long position() {
        long p = 0;
        for (CaptureReader r : readers) {
            p += r.position();
        }
        return p;
    }

    @Override
    public boolean compressed() {
        for (CaptureReader r : readers) {
            if (r.compressed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (CaptureReader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
