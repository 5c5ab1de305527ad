package org.iotpcap.dissect.tls;

import java.util.Arrays;

/**
 * Cuts one direction of a rebuilt TCP stream into TLS records (RFC 8446 section 5.1, RFC 5246 section 6.2):
 *
 * <pre>
 *  0        1        2        3        4        5
 * +--------+--------+--------+--------+--------+---- ... ----+
 * |  type  | version (3,x)   | length (16 bits) | fragment    |
 * +--------+--------+--------+--------+--------+---- ... ----+
 * </pre>
 *
 * A record may span segments and a segment may hold several records; each whole record goes to the
 * {@link Sink} with the frames its first and last byte came in. A record whose type is not one of
 * change_cipher_spec (20), alert (21), handshake (22), application_data (23), heartbeat (24), whose version major
 * is not 3, or whose length exceeds {@link #MAX_RECORD_BYTES} means the stream is not (or no longer) TLS: the
 * framer reports it once and stops. A gap (bytes never captured) stops the direction too: the record boundary
 * is lost. Only one record is buffered, so the state per direction is bounded by {@link #MAX_RECORD_BYTES}.
 */
public final class TlsRecordFramer {
    /** The header: type (1), version (2), length (2). */
    public static final int HEADER_BYTES = 5;
    /**
     * The largest length field accepted: 2^14 + 2048, TLS 1.2's TLSCiphertext bound (RFC 5246 section 6.2.3),
     * which also covers TLS 1.3's 2^14 + 256 (RFC 8446 section 5.2).
     */
    public static final int MAX_RECORD_BYTES = (1 << 14) + 2048;

    /** Receives the records and the one reason the framer stopped. */
    public interface Sink {
        /** One whole record; {@code fragment} is valid only during the call. */
        void record(int type, int version, byte[] fragment, int offset, int length, long firstFrame, long lastFrame,
                    long nanos);

        /** The framer stopped: {@code reason} is a snake_case code, {@code detail} says why. */
        void stopped(long frame, String reason, String detail);
    }

    private final Sink sink;
    private byte[] buffer = new byte[256];
    private int held;
    private long firstFrame = -1;
    private boolean stopped;
    private long records;

    public TlsRecordFramer(Sink sink) {
        this.sink = sink;
    }

    /** True once the direction is no longer framed (not TLS, or a gap). */
    public boolean stopped() {
        return stopped;
    }

    /** Whole records handed on so far. */
    public long records() {
        return records;
    }

    /** Bytes of a record begun and not yet complete. */
    public int held() {
        return held;
    }

    /** The next bytes of the stream, in order. */
    public void feed(byte[] b, int off, int len, long frame, long nanos) {
        int end = off + len;
        int at = off;
        while (!stopped && at < end) {
            if (held == 0) {
                firstFrame = frame;
                // whole records straight from the segment, no copy
                while (end - at >= HEADER_BYTES) {
                    int n = checkHeader(b, at, frame);
                    if (n < 0) {
                        return;
                    }
                    if (end - at < HEADER_BYTES + n) {
                        break;
                    }
                    records++;
                    sink.record(b[at] & 0xff, ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff), b, at + HEADER_BYTES, n,
                            frame, frame, nanos);
                    at += HEADER_BYTES + n;
                }
                if (at == end) {
                    return;
                }
            }
            int want = held < HEADER_BYTES ? HEADER_BYTES : HEADER_BYTES + length(buffer, 0);
            int take = Math.min(want - held, end - at);
            ensure(held + take);
            System.arraycopy(b, at, buffer, held, take);
            held += take;
            at += take;
            if (held == HEADER_BYTES && checkHeader(buffer, 0, frame) < 0) {
                return;
            }
            if (held >= HEADER_BYTES && held == HEADER_BYTES + length(buffer, 0)) {
                records++;
                sink.record(buffer[0] & 0xff, ((buffer[1] & 0xff) << 8) | (buffer[2] & 0xff), buffer, HEADER_BYTES,
                        held - HEADER_BYTES, firstFrame, frame, nanos);
                held = 0;
            }
        }
    }

    /** Frees the record buffer: nothing more will be fed. */
    public void close() {
        held = 0;
        buffer = new byte[0];
        stopped = true;
    }

    /** Bytes of this direction were never captured: the record boundary is lost. */
    public void gap(long bytes, long frame) {
        if (!stopped) {
            stop(frame, "framing_lost", bytes + " bytes never captured" + (held > 0 ? " inside a record" : ""));
        }
    }

    /** The record's length, or -1 (reported, stopped) when its header is not TLS. */
    private int checkHeader(byte[] b, int at, long frame) {
        int type = b[at] & 0xff;
        int major = b[at + 1] & 0xff;
        int n = length(b, at);
        if (type < 20 || type > 24) {
            stop(frame, "bad_content_type", "record content type " + type + " (not 20..24)");
            return -1;
        }
        if (major != 3) {
            stop(frame, "bad_version", "record version " + major + "." + (b[at + 2] & 0xff) + " (major not 3)");
            return -1;
        }
        if (n > MAX_RECORD_BYTES) {
            stop(frame, "record_too_long", "record length " + n + " exceeds limit (" + MAX_RECORD_BYTES + ")");
            return -1;
        }
        return n;
    }

    private static int length(byte[] b, int at) {
        return ((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff);
    }

    private void ensure(int n) {
        if (buffer.length < n) {
            buffer = Arrays.copyOf(buffer, Math.max(n, buffer.length * 2));
        }
    }

    private void stop(long frame, String reason, String detail) {
        stopped = true;
        held = 0;
        buffer = new byte[0];
        sink.stopped(frame, reason, detail);
    }
}
