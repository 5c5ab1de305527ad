package org.iotpcap.dissect;

/**
 * The outcome of decoding one message: a value, or why there is none. Malformed input is a value, never
 * an exception. {@link Truncated} means the capture cut the bytes (snap length); {@link Malformed} means the
 * sender broke the specification.
 */
public sealed interface DecodeResult<T> {

    record Decoded<T>(T value) implements DecodeResult<T> {}

    /** @param offset where in the message the problem was found */
    record Malformed<T>(Reason reason, int offset, String detail) implements DecodeResult<T> {}

    /** @param needed bytes the message declares; @param captured bytes the capture holds */
    record Truncated<T>(int needed, int captured) implements DecodeResult<T> {}

    static <T> DecodeResult<T> ok(T value) {
        return new Decoded<>(value);
    }

    static <T> DecodeResult<T> malformed(Reason reason, int offset, String detail) {
        return new Malformed<>(reason, offset, detail);
    }

    static <T> DecodeResult<T> truncated(int needed, int captured) {
        return new Truncated<>(needed, captured);
    }

    default boolean isOk() {
        return this instanceof Decoded<T>;
    }

    /** The value; throws IllegalStateException when there is none (for tests and callers that checked). */
    default T value() {
        if (this instanceof Decoded<T> d) {
            return d.value();
        }
        throw new IllegalStateException("no value: " + this);
    }
}
