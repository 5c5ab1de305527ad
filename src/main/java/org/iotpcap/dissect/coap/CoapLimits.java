package org.iotpcap.dissect.coap;

/**
 * Input limits of the CoAP decoder.
 *
 * @param maxOptions options accepted in one message (default 256; a datagram can encode thousands of
 *     one-octet empty options, real messages carry fewer than 20)
 */
public record CoapLimits(int maxOptions) {
    public static final CoapLimits DEFAULTS = new CoapLimits(256);

    public CoapLimits {
        if (maxOptions < 0) {
            throw new IllegalArgumentException("maxOptions out of range: " + maxOptions);
        }
    }
}
