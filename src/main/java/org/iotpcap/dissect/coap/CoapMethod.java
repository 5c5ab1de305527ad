package org.iotpcap.dissect.coap;

/** Request method codes 0.01 to 0.07 (RFC 7252 section 12.1.1, RFC 8132 for FETCH, PATCH, iPATCH). */
public enum CoapMethod {
    GET(1), POST(2), PUT(3), DELETE(4), FETCH(5), PATCH(6), IPATCH(7);

    private final int detail;

    CoapMethod(int detail) {
        this.detail = detail;
    }

    /** The code detail (the code class is 0). */
    public int detail() {
        return detail;
    }

    /** The method for code 0.dd, or null (0.00 is Empty, 0.08 and above are unassigned). */
    public static CoapMethod of(int detail) {
        return detail >= 1 && detail <= 7 ? VALUES[detail - 1] : null;
    }

    /** {@code values()} copies its array on every call. */
    private static final CoapMethod[] VALUES = values();

    /** As the registry spells it ({@code iPATCH}). */
    public String text() {
        return this == IPATCH ? "iPATCH" : name();
    }
}
