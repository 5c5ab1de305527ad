package org.iotpcap.dissect.websocket;

/** Receives what a {@link WsFrameDecoder} unwraps from one direction. */
public interface WsFrameSink {
    /**
     * Payload bytes of text and binary data frames, unmasked, in stream order, carried by {@code frame} (the
     * capture frame whose TCP bytes held them) at time {@code nanos}. The array is the decoder's (or the
     * caller's) and is reused: copy what you keep.
     */
    void payload(byte[] b, int off, int len, long frame, long nanos);

    /**
     * A problem (see {@link WsReason#recoverable()} for which stop the direction).
     *
     * @param offset offset in this direction's TCP byte stream (the handshake included) where it lies
     */
    void problem(WsReason reason, long frame, long offset, String detail);
}
