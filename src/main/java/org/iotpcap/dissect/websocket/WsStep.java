package org.iotpcap.dissect.websocket;

/**
 * The outcome of reading one unit (an HTTP head, a frame header) from the front of a stream's bytes: the
 * value and how many bytes it took, a request for more bytes, or why the bytes are not one. Values, never
 * exceptions.
 */
public sealed interface WsStep<T> {
    /** @param consumed bytes the unit took from the front of the input */
    record Done<T>(T value, int consumed) implements WsStep<T> {}

    /** The input ends inside the unit; {@code atLeast} more bytes are needed (a lower bound, at least 1). */
    record NeedMore<T>(int atLeast) implements WsStep<T> {}

    /** @param offset where in the input the problem lies */
    record Malformed<T>(WsReason reason, int offset, String detail) implements WsStep<T> {}
}
