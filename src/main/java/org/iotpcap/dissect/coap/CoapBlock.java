package org.iotpcap.dissect.coap;

/**
 * A Block1 or Block2 value (RFC 7959 section 2.2): {@code NUM (4, 12 or 20 bits) | M (1) | SZX (3)}.
 *
 * @param size 2^(SZX+4) octets; 0 for the reserved SZX 7 ("MUST NOT be sent")
 */
public record CoapBlock(int num, boolean more, int szx, int size) {

    /** From the option's unsigned value (0 to 3 octets). */
    public static CoapBlock of(long value) {
        int szx = (int) (value & 7);
        return new CoapBlock((int) (value >>> 4), (value & 8) != 0, szx, szx == 7 ? 0 : 1 << (szx + 4));
    }
}
