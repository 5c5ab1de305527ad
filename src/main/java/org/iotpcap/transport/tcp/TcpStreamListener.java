package org.iotpcap.transport.tcp;

/**
 * Receives the rebuilt byte streams of TCP connections. Every byte of each direction arrives once, in order,
 * with the frame that carried it; missing bytes arrive as a gap, after which the stream goes on.
 * The byte array is valid only during the call: copy what must outlive it.
 */
public interface TcpStreamListener {
    default void onOpen(TcpConnection connection) {}

    /**
     * In-order stream bytes.
     *
     * @param fromClient true for the client-to-server direction
     * @param frame the frame whose segment carried these bytes
     * @param timestampNanos that frame's timestamp
     */
    void onData(TcpConnection connection, boolean fromClient, byte[] data, int offset, int length, long frame,
                long timestampNanos);

    /** {@code bytes} bytes of this direction were never seen; the next data follows them. */
    default void onGap(TcpConnection connection, boolean fromClient, long bytes, long frame) {}

    /** No more data will arrive for this connection ({@link TcpConnection#closeReason()} says why). */
    default void onClose(TcpConnection connection) {}

    TcpStreamListener NONE = (c, fromClient, data, offset, length, frame, ts) -> {};
}
