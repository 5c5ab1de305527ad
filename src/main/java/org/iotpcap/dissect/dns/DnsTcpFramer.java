package org.iotpcap.dissect.dns;

import org.iotpcap.bytes.ByteView;

/**
 * Cuts one direction of a DNS-over-TCP stream into messages (RFC 1035 section 4.2.2: each message is
 * prefixed with a two-octet length field). Stateful: feed it the in-order stream bytes as they arrive, in any
 * cut; it hands each complete message to the {@link Sink} with the frame where its length prefix began and the
 * frame where its last octet arrived (tshark shows the message in that last frame). A message is at most
 * 65,535 octets, so the buffer is bounded by the format itself.
 *
 * <p>A {@link #gap} inside a message whose length is known loses that message only (the framer skips to its
 * end and stays in step). A gap that covers a length prefix loses the framing: the rest of the direction is
 * ignored and {@link #inStep()} turns false, since no marker in the stream tells where the next message starts.
 */
public final class DnsTcpFramer {

    /** Receives what the framer cuts. */
    public interface Sink {
        /** A complete message (without the length prefix); the view is valid only during the call. */
        void message(ByteView message, long firstFrame, long lastFrame, long timestampNanos);

        /** A message lost to a gap, or the framing lost for good ({@code inStep} false). */
        default void lost(long frame, boolean inStep, String detail) {}
    }

    private final Sink sink;
    /** Grown to the largest message seen (at most 65,535 bytes), not allocated up front: most connections carry few small messages. */
    private byte[] buffer = new byte[0];
    private int prefixBytes;
    private int prefix;
    private int fill;
    private long firstFrame;
    private boolean damaged;
    private boolean inStep = true;
    private long messages;

    public DnsTcpFramer(Sink sink) {
        this.sink = sink;
    }

    /** False once a gap hid a length prefix; everything after that is ignored. */
    public boolean inStep() {
        return inStep;
    }

    /** Messages handed to the sink so far. */
    public long messages() {
        return messages;
    }

    public void feed(byte[] b, int off, int len, long frame, long nanos) {
        int i = off;
        int end = off + len;
        while (i < end && inStep) {
            if (prefixBytes < 2) {
                if (prefixBytes == 0) {
                    firstFrame = frame;
                }
                prefix = prefix << 8 | (b[i++] & 0xff);
                if (++prefixBytes < 2) {
                    continue;
                }
                fill = 0;
                if (buffer.length < prefix) {
                    buffer = new byte[Math.max(prefix, Math.min(65_535, buffer.length * 2))];
                }
            }
            int take = Math.min(prefix - fill, end - i);
            System.arraycopy(b, i, buffer, fill, take);
            fill += take;
            i += take;
            if (fill == prefix) {
                if (damaged) {
                    sink.lost(frame, true, "message of " + prefix + " octets had a gap");
                } else {
                    messages++;
                    sink.message(ByteView.of(buffer, 0, prefix), firstFrame, frame, nanos);
                }
                prefixBytes = 0;
                prefix = 0;
                damaged = false;
            }
        }
    }

    /** {@code bytes} octets of this direction were never seen. */
    public void gap(long bytes, long frame) {
        if (!inStep || bytes <= 0) {
            return;
        }
        if (prefixBytes == 2) {
            long left = prefix - fill;
            if (bytes <= left) {
                damaged = true;
                fill += (int) bytes; // the bytes stay as they were; the message is dropped when complete
                if (fill == prefix) {
                    sink.lost(frame, true, "message of " + prefix + " octets had a gap");
                    prefixBytes = 0;
                    prefix = 0;
                    damaged = false;
                }
                return;
            }
        }
        inStep = false;
        sink.lost(frame, false, "a gap of " + bytes + " octets hid a length prefix; the rest of the stream is ignored");
    }

    /** As {@link #gap(long, long)} without a frame number. */
    public void gap(long bytes) {
        gap(bytes, -1);
    }
}
