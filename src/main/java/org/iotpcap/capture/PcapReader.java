package org.iotpcap.capture;

import java.io.IOException;
import java.io.InputStream;
import org.iotpcap.bytes.Bytes;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;

/**
 * libpcap format: a 24-byte file header, then per record a 16-byte header (ts_sec, ts_usec or ts_nsec,
 * incl_len, orig_len) and incl_len bytes. Both byte orders; microsecond (0xa1b2c3d4), nanosecond
 * (0xa1b23c4d) and the modified format (0xa1b2cd34, 24-byte record headers).
 *
 * <pre>
 *  0                   1                   2                   3
 *  +---------------------------------------------------------------+
 *  |                          Magic Number                         |
 *  |         Major Version         |         Minor Version         |
 *  |                           Reserved1 / thiszone                |
 *  |                           Reserved2 / sigfigs                 |
 *  |                            SnapLen                            |
 *  | FCS |f|0 0 0 0 0 0 0 0 0 0 0 0|         LinkType              |
 *  +---------------------------------------------------------------+
 * </pre>
 */
final class PcapReader extends CaptureReader {
    static final int MAGIC_MICRO = 0xa1b2c3d4;
    static final int MAGIC_NANO = 0xa1b23c4d;
    static final int MAGIC_MODIFIED = 0xa1b2cd34;

    private final boolean bigEndian;
    private final CaptureFormat format;
    private final int recordHeaderBytes;
    private final long nanosPerFractionUnit;
    private final CaptureInterface iface;

    PcapReader(ByteSource src, InputStream stream, Diagnostics diagnostics, Limits limits) throws IOException {
        super(src, stream, diagnostics, limits);
        if (!src.ensure(24)) {
            throw new NotACaptureException("pcap file header is cut short (" + src.available() + " of 24 bytes)");
        }
        byte[] b = src.array();
        int p = src.pos();
        int be = Bytes.i32be(b, p);
        int le = Bytes.i32le(b, p);
        int magic;
        if (be == MAGIC_MICRO || be == MAGIC_NANO || be == MAGIC_MODIFIED) {
            bigEndian = true;
            magic = be;
        } else {
            bigEndian = false;
            magic = le;
        }
        format = magic == MAGIC_NANO ? CaptureFormat.PCAP_NANO
                : magic == MAGIC_MODIFIED ? CaptureFormat.PCAP_MODIFIED : CaptureFormat.PCAP;
        recordHeaderBytes = magic == MAGIC_MODIFIED ? 24 : 16;
        nanosPerFractionUnit = magic == MAGIC_NANO ? 1 : 1000;
        long snap = u32(b, p + 16);
        int linkType = (int) (u32(b, p + 20) & 0x0fffffff) & 0xffff;
        iface = new CaptureInterface(0, 0, linkType, snap, null, magic == MAGIC_NANO ? 9 : 6, 0);
        interfaces.add(iface);
        sections = 1;
        src.skip(24);
    }

    private long u32(byte[] b, int off) {
        return bigEndian ? Bytes.u32be(b, off) : Bytes.u32le(b, off);
    }

    @Override
    public CaptureFormat format() {
        return format;
    }

    @Override
    public boolean next(CaptureRecord r) throws IOException {
        if (!src.ensure(recordHeaderBytes)) {
            if (src.available() > 0) {
                warn("truncated_record_header", "capture is cut short: last record header has "
                        + src.available() + " of " + recordHeaderBytes + " bytes at offset " + src.offset());
                src.skip(src.available());
            } else {
                endedBetweenRecords();
            }
            return false;
        }
        byte[] b = src.array();
        int p = src.pos();
        long sec = u32(b, p);
        long frac = u32(b, p + 4);
        long incl = u32(b, p + 8);
        long orig = u32(b, p + 12);
        if (incl > limits.maxRecordBytes()) {
            warn("record_too_large", "record at offset " + src.offset() + " claims " + incl
                    + " captured bytes, which exceeds limit (" + limits.maxRecordBytes() + "); reading stops");
            return false;
        }
        long at = src.offset();
        if (iface.snapLength() > 0 && incl > iface.snapLength()) {
            // libpcap never writes this; the bytes are there, so the frame is kept and the oddity reported
            diagnostics.report(frames + 1, org.iotpcap.bytes.Layer.CAPTURE, "captured_above_snap_length",
                    "record at offset " + at + " has " + incl + " captured bytes, above the snap length ("
                            + iface.snapLength() + ")");
        }
        int total = recordHeaderBytes + (int) incl;
        if (!src.ensure(total)) {
            warn("truncated_record", "capture is cut short: last record has " + (src.available() - recordHeaderBytes)
                    + " of " + incl + " bytes at offset " + at);
            src.skip(src.available());
            return false;
        }
        b = src.array();
        p = src.pos();
        r.frameNumber = ++frames;
        r.timestampNanos = sec * 1_000_000_000L + frac * nanosPerFractionUnit;
        r.interfaceId = 0;
        r.linkType = iface.linkType();
        r.capturedLength = (int) incl;
        r.originalLength = orig;
        r.data = b;
        r.offset = p + recordHeaderBytes;
        r.fileOffset = at;
        src.skip(total);
        return true;
    }
}
