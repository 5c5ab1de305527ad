package org.iotpcap.dissect.coap;

/** The message type, the T field (RFC 7252 section 3); the ordinal is the wire value. */
public enum CoapType {
    CON, NON, ACK, RST;

    public static CoapType of(int t) {
        return VALUES[t & 3];
    }

    /** {@code values()} copies its array on every call. */
    private static final CoapType[] VALUES = values();

    public int wire() {
        return ordinal();
    }
}
