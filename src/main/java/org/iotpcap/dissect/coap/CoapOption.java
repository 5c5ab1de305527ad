package org.iotpcap.dissect.coap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.iotpcap.bytes.Bytes;

/**
 * One option, as it was on the wire: its number (delta already summed), its registry name (or
 * {@code Unknown(n)}), its registered format, and a copy of its value bytes.
 */
public record CoapOption(int number, String name, CoapOptionFormat format, byte[] raw) {

    public CoapOption {
        raw = raw.clone();
    }

    public static CoapOption of(int number, byte[] raw) {
        CoapOptions.Definition d = CoapOptions.definition(number);
        return new CoapOption(number, d != null ? d.name() : "Unknown(" + number + ")",
                d != null ? d.format() : CoapOptionFormat.UNKNOWN, raw);
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public int length() {
        return raw.length;
    }

    public String hex() {
        return Bytes.hex(raw, 0, raw.length);
    }

    /** True when the length is inside the registered range (always true for unknown options). */
    public boolean lengthInRange() {
        CoapOptions.Definition d = CoapOptions.definition(number);
        return d == null || (raw.length >= d.minLength() && raw.length <= d.maxLength());
    }

    /**
     * The unsigned value of a uint option (RFC 7252 3.2: network byte order, leading zeros may be omitted, so
     * zero octets mean 0); null for other formats or values longer than 4 octets.
     */
    public Long uint() {
        if (format != CoapOptionFormat.UINT || raw.length > 4) {
            return null;
        }
        long v = 0;
        for (byte b : raw) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }

    /** The value of a string option as UTF-8 text (invalid sequences become U+FFFD); null for other formats. */
    public String text() {
        return format == CoapOptionFormat.STRING ? new String(raw, StandardCharsets.UTF_8) : null;
    }

    /** Long for uint options (up to 4 octets), String for string options, lowercase hex for everything else. */
    public Object value() {
        Long u = uint();
        if (u != null) {
            return u;
        }
        String t = text();
        return t != null ? t : hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoapOption c && c.number == number && Arrays.equals(c.raw, raw);
    }

    @Override
    public int hashCode() {
        return 31 * number + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return name + "=" + value();
    }
}
