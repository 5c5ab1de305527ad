package org.iotpcap.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.Bytes;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;

/**
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                          Block Type                           |
 *  |                      Block Total Length                       |
 *  /                          Block Body                           /
 *  |                      Block Total Length                       |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * Frames come from Enhanced (6), Simple (3) and obsolete Packet (2) blocks. Section Header Blocks
 * (0x0A0D0D0A) set the byte order of their section (either order) and reset its interfaces; Interface
 * Description Blocks (1) give each interface its link type, snap length, if_tsresol and if_tsoffset.
 * Other blocks (name resolution, statistics, decryption secrets, custom, unknown) are skipped and counted.
 *
 * <p>A block whose length is not a multiple of 4, under 12, over the limit, or disagreeing with its trailer
 * leaves no way to find the next block: it is reported and reading stops, as tshark stops.
 */
final class PcapngReader extends CaptureReader {
    static final int SHB = 0x0A0D0D0A;
    static final int IDB = 0x00000001;
    static final int PB = 0x00000002;
    static final int SPB = 0x00000003;
    static final int NRB = 0x00000004;
    static final int ISB = 0x00000005;
    static final int EPB = 0x00000006;
    static final int DSB = 0x0000000A;
    /** Decryption Secrets Block secrets type of a TLS key log ("TLSK"). */
    static final long DSB_TLS_KEY_LOG = 0x544c534bL;
    static final int CUSTOM = 0x00000BAD;
    static final int CUSTOM_NOCOPY = 0x40000BAD;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;

    private static final int OPT_END = 0;
    private static final int IF_NAME = 2;
    private static final int IF_TSRESOL = 9;
    private static final int IF_TSOFFSET = 14;

    private boolean bigEndian;
    /** Interfaces of the current section, indexed by their id within the section. */
    private final List<CaptureInterface> sectionInterfaces = new ArrayList<>();
    private boolean done;

    PcapngReader(ByteSource src, InputStream stream, Diagnostics diagnostics, Limits limits) throws IOException {
        super(src, stream, diagnostics, limits);
        if (!src.ensure(28)) {
            throw new NotACaptureException("pcapng section header is cut short (" + src.available() + " bytes)");
        }
    }

    @Override
    public CaptureFormat format() {
        return CaptureFormat.PCAPNG;
    }

    private int i32(byte[] b, int off) {
        return bigEndian ? Bytes.i32be(b, off) : Bytes.i32le(b, off);
    }

    private long u32(byte[] b, int off) {
        return i32(b, off) & 0xffffffffL;
    }

    private int u16(byte[] b, int off) {
        return bigEndian ? Bytes.u16be(b, off) : Bytes.u16le(b, off);
    }

    @Override
    public boolean next(CaptureRecord r) throws IOException {
        while (!done) {
            src.shrinkIfLarge();
            if (!src.ensure(12)) {
                if (src.available() > 0) {
                    warn("truncated_block", "capture is cut short: " + src.available()
                            + " bytes of a block header at offset " + src.offset());
                } else {
                    endedBetweenRecords();
                }
                done = true;
                return false;
            }
            byte[] b = src.array();
            int p = src.pos();
            int type = Bytes.i32be(b, p); // SHB's type reads the same in both orders
            if (type == SHB) {
                int magic = Bytes.i32be(b, p + 8);
                if (magic == BYTE_ORDER_MAGIC) {
                    bigEndian = true;
                } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
                    bigEndian = false;
                } else {
                    stop("bad_byte_order_magic", "section header at offset " + src.offset()
                            + " has byte-order magic 0x" + Integer.toHexString(magic));
                    return false;
                }
            } else {
                type = i32(b, p);
            }
            long blockLen = u32(b, p + 4);
            long at = src.offset();
            if (blockLen < 12 || (blockLen & 3) != 0 || blockLen > limits.maxRecordBytes()) {
                stop("bad_block_length", "block of type 0x" + Integer.toHexString(type) + " at offset " + at
                        + " has length " + blockLen + (blockLen > limits.maxRecordBytes()
                        ? ", which exceeds limit (" + limits.maxRecordBytes() + ")"
                        : blockLen < 12 ? " (under 12)" : " (not a multiple of 4)"));
                return false;
            }
            int len = (int) blockLen;
            if (!src.ensure(len)) {
                warn("truncated_block", "capture is cut short: block of type 0x" + Integer.toHexString(type)
                        + " at offset " + at + " has " + src.available() + " of " + len + " bytes");
                src.skip(src.available());
                done = true;
                return false;
            }
            b = src.array();
            p = src.pos();
            long trailer = u32(b, p + len - 4);
            if (trailer != blockLen) {
                stop("block_length_mismatch", "block of type 0x" + Integer.toHexString(type) + " at offset " + at
                        + " has length " + blockLen + " but its trailer says " + trailer);
                return false;
            }
            boolean frame = switch (type) {
                case SHB -> {
                    sections++;
                    sectionInterfaces.clear();
                    yield false;
                }
                case IDB -> {
                    readInterface(b, p, len);
                    yield false;
                }
                case EPB -> readEnhanced(r, b, p, len, at);
                case SPB -> readSimple(r, b, p, len, at);
                case PB -> readObsolete(r, b, p, len, at);
                case NRB -> countAndFalse("name resolution");
                case ISB -> countAndFalse("interface statistics");
                case DSB -> readSecrets(b, p, len);
                case CUSTOM, CUSTOM_NOCOPY -> countAndFalse("custom");
                default -> countAndFalse("unknown 0x" + String.format("%08x", type));
            };
            src.skip(len);
            if (frame) {
                return true;
            }
        }
        return false;
    }

    private boolean countAndFalse(String kind) {
        countSkipped(kind);
        return false;
    }

    private void stop(String reason, String detail) {
        warn(reason, detail + "; reading stops");
        done = true;
    }

    private void readInterface(byte[] b, int p, int len) {
        if (len < 20) {
            diagnostics.report(frames + 1, org.iotpcap.bytes.Layer.CAPTURE, "short_interface_block",
                    "interface description block of " + len + " bytes");
        }
        int linkType = len >= 20 ? u16(b, p + 8) : -1;
        long snap = len >= 20 ? u32(b, p + 12) : 0;
        String name = null;
        int tsresol = 6;
        long tsoffset = 0;
        int o = p + 16;
        int end = p + len - 4;
        while (o + 4 <= end) {
            int code = u16(b, o);
            int olen = u16(b, o + 2);
            int v = o + 4;
            if (code == OPT_END || v + olen > end) {
                break;
            }
            switch (code) {
                case IF_NAME -> name = new String(b, v, olen, java.nio.charset.StandardCharsets.UTF_8);
                case IF_TSRESOL -> {
                    if (olen >= 1) {
                        tsresol = b[v] & 0xff;
                    }
                }
                case IF_TSOFFSET -> {
                    if (olen >= 8) {
                        tsoffset = bigEndian ? Bytes.i64be(b, v)
                                : Long.reverseBytes(Bytes.i64be(b, v));
                    }
                }
                default -> { }
            }
            o = v + ((olen + 3) & ~3);
        }
        CaptureInterface iface = new CaptureInterface(interfaces.size(), Math.max(0, sections - 1), linkType, snap,
                name, tsresol, tsoffset);
        interfaces.add(iface);
        sectionInterfaces.add(iface);
    }

    private CaptureInterface sectionInterface(int id, long at) {
        if (id < 0 || id >= sectionInterfaces.size()) {
            diagnostics.report(frames + 1, org.iotpcap.bytes.Layer.CAPTURE, "undescribed_interface",
                    "packet block at offset " + at + " names interface " + id + ", but the section describes "
                            + sectionInterfaces.size());
            return null;
        }
        return sectionInterfaces.get(id);
    }

    /** EPB: interface id, timestamp (high, low), captured length, original length, data, options. */
    private boolean readEnhanced(CaptureRecord r, byte[] b, int p, int len, long at) {
        if (len < 32) {
            return badPacketBlock("enhanced packet block of " + len + " bytes (under 32)", at);
        }
        long cap = u32(b, p + 20);
        if (cap > len - 32) {
            return badPacketBlock("enhanced packet block captured length " + cap + " exceeds its block ("
                    + (len - 32) + " bytes of data)", at);
        }
        CaptureInterface iface = sectionInterface((int) u32(b, p + 8), at);
        aboveSnapLength(iface, cap, at);
        long ticks = u32(b, p + 12) << 32 | u32(b, p + 16);
        return fill(r, iface, ticks, (int) cap, u32(b, p + 24), b, p + 28, at);
    }

    /** SPB: original length and data; captured length is the smaller of that and the block (and snap length). */
    private boolean readSimple(CaptureRecord r, byte[] b, int p, int len, long at) {
        if (len < 16) {
            return badPacketBlock("simple packet block of " + len + " bytes (under 16)", at);
        }
        CaptureInterface iface = sectionInterface(0, at);
        long orig = u32(b, p + 8);
        long cap = Math.min(orig, len - 16);
        if (iface != null && iface.snapLength() > 0) {
            cap = Math.min(cap, iface.snapLength());
        }
        return fill(r, iface, Long.MIN_VALUE, (int) cap, orig, b, p + 12, at);
    }

    /** Obsolete PB: 16-bit interface id, drops count, timestamp, captured and original length, data. */
    private boolean readObsolete(CaptureRecord r, byte[] b, int p, int len, long at) {
        if (len < 32) {
            return badPacketBlock("packet block of " + len + " bytes (under 32)", at);
        }
        long cap = u32(b, p + 20);
        if (cap > len - 32) {
            return badPacketBlock("packet block captured length " + cap + " exceeds its block", at);
        }
        CaptureInterface iface = sectionInterface(u16(b, p + 8), at);
        aboveSnapLength(iface, cap, at);
        long ticks = u32(b, p + 12) << 32 | u32(b, p + 16);
        return fill(r, iface, ticks, (int) cap, u32(b, p + 24), b, p + 28, at);
    }

    /** A captured length above the interface's snap length: the bytes are there, so the frame is kept. */
    private void aboveSnapLength(CaptureInterface iface, long cap, long at) {
        if (iface != null && iface.snapLength() > 0 && cap > iface.snapLength()) {
            diagnostics.report(frames + 1, org.iotpcap.bytes.Layer.CAPTURE, "captured_above_snap_length",
                    "packet block at offset " + at + " has " + cap + " captured bytes, above the snap length ("
                            + iface.snapLength() + ") of interface " + iface.id());
        }
    }

    /**
     * A Decryption Secrets Block (pcapng draft section 4.7): secrets type (4), secrets length (4), the secrets,
     * padding, options. A TLS key log ({@code 0x544c534b}, "TLSK", what {@code editcap --inject-secrets tls,FILE}
     * writes) goes to the {@link #onTlsKeyLog} consumer; other kinds (WireGuard, ZigBee...) are counted as skipped.
     */
    private boolean readSecrets(byte[] b, int p, int len) {
        // 8 (block type, length) + 8 (secrets type, length) + 4 (trailer)
        if (len >= 20) {
            long kind = u32(b, p + 8);
            long n = u32(b, p + 12);
            if (kind == DSB_TLS_KEY_LOG && n <= len - 20) {
                tlsKeyLog.accept(new String(b, p + 16, (int) n, java.nio.charset.StandardCharsets.ISO_8859_1));
                return false;
            }
        }
        return countAndFalse("decryption secrets");
    }

    private boolean badPacketBlock(String detail, long at) {
        diagnostics.report(frames + 1, org.iotpcap.bytes.Layer.CAPTURE, "bad_packet_block", detail + " at offset " + at);
        return false;
    }

    private boolean fill(CaptureRecord r, CaptureInterface iface, long ticks, int cap, long orig, byte[] b, int off,
                         long at) {
        r.frameNumber = ++frames;
        r.timestampNanos = iface == null || ticks == Long.MIN_VALUE ? 0 : iface.toNanos(ticks);
        r.interfaceId = iface == null ? -1 : iface.id();
        r.linkType = iface == null ? -1 : iface.linkType();
        r.capturedLength = cap;
        r.originalLength = orig;
        r.data = b;
        r.offset = off;
        r.fileOffset = at;
        return true;
    }
}
