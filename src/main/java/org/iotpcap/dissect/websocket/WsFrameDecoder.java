package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;

/**
 * Cuts one direction of a WebSocket connection (RFC 6455 §5) into frames, however the TCP segments fall (a
 * frame header split over segments, several frames in one segment), and streams the payload of text and
 * binary data frames, unmasked (§5.3), to a {@link WsFrameSink}; fragmented messages (§5.4) come out as one
 * run of bytes because data frames are simply concatenated. Control frames (Close, Ping, Pong; §5.5) are
 * skipped, also between the fragments of a message. Nothing but an incomplete frame header (at most 14 bytes)
 * is buffered: payload is unmasked chunk by chunk into one scratch array that grows to the largest chunk.
 *
 * <p>Checks (reasons in {@link WsReason}): the header rules of {@link WsFrameHeader#decode}; continuation
 * without a message and a new data frame inside one (§5.4); a message over {@link Limits.WebSocket#maxMessageBytes()};
 * these stop the direction, reported once. Masking (§5.1: client frames masked, server frames not), minimal
 * length encoding (§5.2), text frames and data after Close are reported once per direction and decoding goes
 * on (data after Close is not passed on).
 *
 * <p>A gap in the TCP stream stops the direction: frame boundaries cannot be found again with certainty
 * (payload bytes are arbitrary, and masked bytes look random). Not handled: extensions (RSV bits,
 * permessage-deflate), which stop the direction with {@link WsReason#RESERVED_BITS_SET}.
 *
 * <p>Not thread-safe; one instance per direction.
 */
public final class WsFrameDecoder {
    private final WsFrameSink sink;
    private final Limits.WebSocket limits;
    /** True: frames must be masked (client to server); false: must not be; null: not checked. */
    private final Boolean expectMasked;
    private final byte[] hdr = new byte[WsFrameHeader.MAX_LENGTH];
    private int hdrLen;
    private byte[] scratch = new byte[0];
    private WsFrameHeader frame;
    private long remaining;
    private long payloadPos;
    private boolean deliver;
    private boolean inMessage;
    private long messageBytes;
    private boolean closeSeen;
    private boolean stopped;
    private long position;
    private long frameStart;
    private long frameStartFrame;
    private long frames;
    private long controlFrames;
    private long messages;
    private final boolean[] reported = new boolean[WsReason.values().length];

    /**
     * @param expectMasked true for the client's direction, false for the server's, null not to check
     * @param startOffset the direction's stream offset of the first byte fed (the bytes of the handshake)
     */
    public WsFrameDecoder(WsFrameSink sink, Limits.WebSocket limits, Boolean expectMasked, long startOffset) {
        this.sink = sink;
        this.limits = limits;
        this.expectMasked = expectMasked;
        this.position = startOffset;
    }

    public long frames() {
        return frames;
    }

    public long controlFrames() {
        return controlFrames;
    }

    /** Data messages completed (a final text, binary or continuation frame). */
    public long messages() {
        return messages;
    }

    public boolean stopped() {
        return stopped;
    }

    /** In-order stream bytes of this direction, carried by {@code captureFrame} at time {@code nanos}. */
    public void feed(byte[] b, int off, int len, long captureFrame, long nanos) {
        int end = off + len;
        int i = off;
        while (i < end && !stopped) {
            if (frame == null) {
                WsStep<WsFrameHeader> r;
                int used;
                if (hdrLen == 0) {
                    frameStart = position + (i - off);
                    frameStartFrame = captureFrame;
                    r = WsFrameHeader.decode(b, i, end - i);
                    if (r instanceof WsStep.NeedMore<WsFrameHeader>) {
                        System.arraycopy(b, i, hdr, 0, end - i);
                        hdrLen = end - i;
                        i = end;
                        continue;
                    }
                    used = r instanceof WsStep.Done<WsFrameHeader> d ? d.consumed() : 0;
                } else {
                    // the header began in an earlier chunk: top it up to its longest form and read it again
                    int n = Math.min(end - i, WsFrameHeader.MAX_LENGTH - hdrLen);
                    System.arraycopy(b, i, hdr, hdrLen, n);
                    r = WsFrameHeader.decode(hdr, 0, hdrLen + n);
                    if (r instanceof WsStep.NeedMore<WsFrameHeader>) {
                        hdrLen += n;
                        i += n;
                        continue;
                    }
                    used = r instanceof WsStep.Done<WsFrameHeader> d ? d.consumed() - hdrLen : 0;
                }
                hdrLen = 0;
                if (r instanceof WsStep.Malformed<WsFrameHeader> m) {
                    stop(m.reason(), captureFrame, frameStart + m.offset(), m.detail());
                    continue;
                }
                i += used;
                start(((WsStep.Done<WsFrameHeader>) r).value(), captureFrame);
                if (stopped || frame == null) {
                    continue;   // stopped, or a frame without payload, already finished
                }
            }
            int n = (int) Math.min(end - i, remaining);
            if (deliver && n > 0) {
                if (frame.masked()) {
                    unmask(b, i, n);
                    sink.payload(scratch, 0, n, captureFrame, nanos);
                } else {
                    sink.payload(b, i, n, captureFrame, nanos);
                }
            }
            i += n;
            remaining -= n;
            payloadPos += n;
            if (remaining == 0) {
                finish();
            }
        }
        position += len;
    }

    private void unmask(byte[] b, int off, int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, 1 << 20))];
        }
        int key = frame.maskKey();
        // §5.3: transformed-octet-i = original-octet-i XOR masking-key-octet-(i MOD 4)
        for (int k = 0; k < n; k++) {
            int j = (int) ((payloadPos + k) & 3);
            scratch[k] = (byte) (b[off + k] ^ (key >>> (24 - 8 * j)));
        }
    }

    private void start(WsFrameHeader h, long captureFrame) {
        frames++;
        if (expectMasked != null && h.masked() != expectMasked) {
            once(WsReason.BAD_MASKING, captureFrame, frameStart, expectMasked
                    ? "client frame not masked (RFC 6455 §5.1)" : "server frame masked (RFC 6455 §5.1)");
        }
        if (!h.minimalLength()) {
            once(WsReason.NON_MINIMAL_LENGTH, captureFrame, frameStart + 1, "payload length " + h.payloadLength()
                    + " not in its minimal form");
        }
        boolean data = false;
        if (h.control()) {
            controlFrames++;
            if (h.opcode() == WsFrameHeader.OP_CLOSE) {
                closeSeen = true;
            }
        } else if (h.opcode() == WsFrameHeader.OP_CONTINUATION) {
            if (!inMessage) {
                stop(WsReason.CONTINUATION_WITHOUT_MESSAGE, captureFrame, frameStart,
                        "continuation frame with no fragmented message in progress");
                return;
            }
            data = true;
        } else {
            if (inMessage) {
                stop(WsReason.DATA_FRAME_INSIDE_MESSAGE, captureFrame, frameStart, (h.opcode() == WsFrameHeader.OP_TEXT
                        ? "text" : "binary") + " frame inside a fragmented message");
                return;
            }
            inMessage = true;
            messageBytes = 0;
            if (h.opcode() == WsFrameHeader.OP_TEXT) {
                once(WsReason.TEXT_FRAME, captureFrame, frameStart, "text frame: MQTT requires binary frames"
                        + " (MQTT 3.1.1 [MQTT-6.0.0-1]); its payload is decoded all the same");
            }
            data = true;
        }
        if (data) {
            messageBytes += h.payloadLength();
            if (messageBytes > limits.maxMessageBytes()) {
                stop(WsReason.MESSAGE_TOO_LARGE, captureFrame, frameStart, "message of at least " + messageBytes
                        + " bytes exceeds limit (" + limits.maxMessageBytes() + ")");
                return;
            }
            if (closeSeen) {
                once(WsReason.DATA_AFTER_CLOSE, captureFrame, frameStart, "data frame after this direction's Close"
                        + " frame: not decoded");
            }
        }
        frame = h;
        remaining = h.payloadLength();
        payloadPos = 0;
        deliver = data && !closeSeen;
        if (remaining == 0) {
            finish();
        }
    }

    private void finish() {
        if (!frame.control() && frame.fin()) {
            inMessage = false;
            messages++;
        }
        frame = null;
    }

    /** {@code bytes} bytes of this direction were never seen: frame boundaries are lost, the direction stops. */
    public void gap(long bytes, long captureFrame) {
        if (!stopped) {
            stop(WsReason.STREAM_GAP, captureFrame, position, bytes + " bytes missing from the stream"
                    + (frame != null || hdrLen > 0 ? ", inside a frame that started at offset " + frameStart : ""));
        }
        position += bytes;
    }

    /** End of the stream: a frame left incomplete is reported. */
    public void close() {
        if (!stopped && (frame != null || hdrLen > 0)) {
            String have = frame != null ? (frame.payloadLength() - remaining) + " of " + frame.payloadLength()
                    + " payload bytes" : hdrLen + " header bytes";
            stop(WsReason.INCOMPLETE_AT_END, frameStartFrame, frameStart, "stream ended after " + have + " of a frame");
        }
    }

    private void once(WsReason reason, long captureFrame, long offset, String detail) {
        if (!reported[reason.ordinal()]) {
            reported[reason.ordinal()] = true;
            sink.problem(reason, captureFrame, offset, detail + " (reported once per direction)");
        }
    }

    private void stop(WsReason reason, long captureFrame, long offset, String detail) {
        stopped = true;
        frame = null;
        hdrLen = 0;
        sink.problem(reason, captureFrame, offset, detail + "; the rest of this direction is not decoded");
    }
}
