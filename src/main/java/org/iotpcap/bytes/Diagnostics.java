package org.iotpcap.bytes;

/**
 * Where malformed and undecodable input is reported: one call per problem, never an exception.
 *
 * <p>{@code frame} is the 1-based frame number (0 for problems of the file itself), {@code reason} a stable
 * snake_case code (counted and grouped by), {@code detail} a sentence for people.
 */
@FunctionalInterface
public interface Diagnostics {
    void report(long frame, Layer layer, String reason, String detail);

    Diagnostics IGNORE = (frame, layer, reason, detail) -> {};
}
