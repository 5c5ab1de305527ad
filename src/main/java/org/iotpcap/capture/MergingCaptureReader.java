package org.iotpcap.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
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
 * mode ({@code -I all}) does for a ring buffer: an interface equal in link type, snap length, name, timestamp
 * resolution and offset to one already seen (in any file) is that interface; any other gets the next id.
 * Capture-level diagnostics of a file are reported at the merged frame number about to be read.
 *
 * <p>Memory: one read buffer per file; every file is open for the whole read.
 */
public final class MergingCaptureReader extends CaptureReader {
    private final List<CaptureReader> readers;
    private final CaptureRecord[] heads;
    private final boolean[] live;
    /** The file whose record was returned last: advanced at the next call, not before, so its data stays valid. */
    private int pending = -1;
    private final List<Map<Integer, Integer>> interfaceMaps = new ArrayList<>();
    private final Map<List<Object>, Integer> interfaceIds = new HashMap<>();
    private final List<CaptureInterface> merged = new ArrayList<>();

    private MergingCaptureReader(List<CaptureReader> readers, Diagnostics diagnostics, Limits limits) {
        super(null, InputStream.nullInputStream(), diagnostics, limits);
        this.readers = readers;
        this.heads = new CaptureRecord[readers.size()];
        this.live = new boolean[readers.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = new CaptureRecord();
            interfaceMaps.add(new HashMap<>());
        }
    }

    /**
     * Opens every file (none of them {@code -}: standard input cannot be merged with files) and reads its
     * first record. An error opening one closes those already open.
     */
    public static MergingCaptureReader open(List<String> paths, Diagnostics diagnostics, Limits limits)
            throws IOException {
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
                    readers.add(Captures.open(p, mapped, limits));
                } catch (NotACaptureException e) {
                    throw new NotACaptureException(p + ": " + e.getMessage());
                }
            }
            MergingCaptureReader m = new MergingCaptureReader(readers, diagnostics, limits);
            self[0] = m;
            for (int i = 0; i < readers.size(); i++) {
                m.live[i] = readers.get(i).next(m.heads[i]);
            }
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

    private int mapInterface(int file, int local) {
        Integer id = interfaceMaps.get(file).get(local);
        if (id != null) {
            return id;
        }
        List<CaptureInterface> described = readers.get(file).interfaces();
        CaptureInterface ci = local >= 0 && local < described.size() ? described.get(local) : null;
        List<Object> key = ci == null ? List.of(file, local)
                : List.of(ci.linkType(), ci.snapLength(), String.valueOf(ci.name()), ci.tsResolution(),
                        ci.tsOffsetSeconds());
        Integer known = interfaceIds.get(key);
        if (known == null) {
            known = merged.size();
            interfaceIds.put(key, known);
            merged.add(ci == null ? new CaptureInterface(known, 0, 0, 0, null, 6, 0)
                    : new CaptureInterface(known, 0, ci.linkType(), ci.snapLength(), ci.name(), ci.tsResolution(),
                            ci.tsOffsetSeconds()));
        }
        interfaceMaps.get(file).put(local, known);
        return known;
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

    /** The merged interfaces that records have used so far (all of them once the capture is read). */
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
