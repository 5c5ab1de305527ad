package org.iotpcap.dissect.coap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.iotpcap.bytes.ByteView;

/**
 * A decoded CoAP message (RFC 7252 section 3), with the options in wire order and the payload: a view on bytes the
 * message owns (the decoder copies them out of the datagram once; the table writers copy them once more, into a
 * batch).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * |Ver| T |  TKL  |      Code     |          Message ID           |
 * |   Token (if any, TKL bytes) ...
 * |   Options (if any) ...
 * |1 1 1 1 1 1 1 1|    Payload (if any) ...
 * </pre>
 *
 * @param token lowercase hex, "" when TKL is 0
 * @param codeClass the 3-bit class c of c.dd
 * @param codeDetail the 5-bit detail dd of c.dd
 * @param payloadText the payload as text when it is non-empty, valid UTF-8, else null
 */
public record CoapMessage(int version, CoapType type, String token, int tokenLength, int codeClass, int codeDetail,
                          int messageId, List<CoapOption> options, ByteView payload, String payloadText) {

    public CoapMessage {
        options = List.copyOf(options);
        java.util.Objects.requireNonNull(payload, "payload");
    }

    public int payloadLength() {
        return payload.length();
    }

    public String payloadHex() {
        return payload.hex();
    }

    /** The 8-bit code, class << 5 | detail (tshark's {@code coap.code}). */
    public int code() {
        return codeClass << 5 | codeDetail;
    }

    /** "c.dd", e.g. "2.05". */
    public String codeText() {
        return codeClass >= 0 && codeClass < 8 && codeDetail >= 0 && codeDetail < 32
                ? CODE_TEXTS[codeClass << 5 | codeDetail] : codeText(codeClass, codeDetail);
    }

    /** The text of each of the 256 codes, made once rather than for every message. */
    private static final String[] CODE_TEXTS = new String[256];

    static {
        for (int i = 0; i < CODE_TEXTS.length; i++) {
            CODE_TEXTS[i] = codeText(i >> 5, i & 31);
        }
    }

    private static String codeText(int codeClass, int codeDetail) {
        return codeClass + "." + (codeDetail < 10 ? "0" : "") + codeDetail;
    }

    /** The method for request codes 0.01 to 0.07, else null. */
    public CoapMethod method() {
        return codeClass == 0 ? CoapMethod.of(codeDetail) : null;
    }

    /** Code 0.00. */
    public boolean isEmpty() {
        return codeClass == 0 && codeDetail == 0;
    }

    /** Class 0 other than 0.00 (RFC 7252 5.8; 0.08 to 0.31 are unassigned request codes). */
    public boolean isRequest() {
        return codeClass == 0 && codeDetail != 0;
    }

    /** Class 2, 4 or 5 (RFC 7252 5.9; class 3 is reserved but answered like one by tshark, and kept here). */
    public boolean isResponse() {
        return codeClass >= 2 && codeClass <= 5;
    }

    /** The response class (2, 3, 4 or 5), or null for other messages. */
    public Integer responseClass() {
        return isResponse() ? codeClass : null;
    }

    public List<CoapOption> options(int number) {
        List<CoapOption> out = new ArrayList<>(2);
        for (CoapOption o : options) {
            if (o.number() == number) {
                out.add(o);
            }
        }
        return out;
    }

    /** The first option with this number, or null. */
    public CoapOption option(int number) {
        // indexed loops: these run several times per message, and an iterator was a fifth of CoAP's allocation
        for (int i = 0, n = options.size(); i < n; i++) {
            CoapOption o = options.get(i);
            if (o.number() == number) {
                return o;
            }
        }
        return null;
    }

    /** The texts of the options numbered {@code number}, in order; empty (not allocated) when there is none. */
    private List<String> texts(int number) {
        List<String> out = null;
        for (int i = 0, n = options.size(); i < n; i++) {
            CoapOption o = options.get(i);
            if (o.number() == number) {
                if (out == null) {
                    out = new ArrayList<>(4);
                }
                out.add(o.text());
            }
        }
        return out == null ? List.of() : out;
    }

    private Long uint(int number) {
        CoapOption o = option(number);
        return o == null ? null : o.uint();
    }

    private Integer uintAsInt(int number) {
        Long v = uint(number);
        return v == null || v > Integer.MAX_VALUE ? null : (int) v.longValue();
    }

    /** "/" + the Uri-Path segments joined by "/"; "/" when there is none (the seed questions' resource). */
    public String uriPath() {
        return "/" + String.join("/", texts(CoapOptions.URI_PATH));
    }

    /** The Uri-Query segments joined by "&", or null when there is none. */
    public String uriQuery() {
        List<String> q = texts(CoapOptions.URI_QUERY);
        return q.isEmpty() ? null : String.join("&", q);
    }

    public String uriHost() {
        CoapOption o = option(CoapOptions.URI_HOST);
        return o == null ? null : o.text();
    }

    public Integer uriPort() {
        return uintAsInt(CoapOptions.URI_PORT);
    }

    /** "/" + the Location-Path segments joined by "/", or null when there is none. */
    public String locationPath() {
        List<String> p = texts(CoapOptions.LOCATION_PATH);
        return p.isEmpty() ? null : "/" + String.join("/", p);
    }

    /** The Location-Query segments joined by "&", or null when there is none. */
    public String locationQuery() {
        List<String> q = texts(CoapOptions.LOCATION_QUERY);
        return q.isEmpty() ? null : String.join("&", q);
    }

    public Integer contentFormat() {
        return uintAsInt(CoapOptions.CONTENT_FORMAT);
    }

    public Integer accept() {
        return uintAsInt(CoapOptions.ACCEPT);
    }

    /** The Observe value (RFC 7641: 0 to 3 octets), or null when absent or longer. */
    public Integer observe() {
        CoapOption o = option(CoapOptions.OBSERVE);
        return o == null || o.length() > 3 ? null : (int) o.uint().longValue();
    }

    public CoapBlock block1() {
        return block(CoapOptions.BLOCK1);
    }

    public CoapBlock block2() {
        return block(CoapOptions.BLOCK2);
    }

    /** RFC 7959 2.2: 0 to 3 octets; null when absent or longer. */
    private CoapBlock block(int number) {
        CoapOption o = option(number);
        return o == null || o.length() > 3 ? null : CoapBlock.of(o.uint());
    }

    public Long size1() {
        return uint(CoapOptions.SIZE1);
    }

    public Long size2() {
        return uint(CoapOptions.SIZE2);
    }

    public Long maxAge() {
        return uint(CoapOptions.MAX_AGE);
    }

    /** Every ETag, as hex. */
    public List<String> etags() {
        List<String> out = new ArrayList<>(2);
        for (CoapOption o : options) {
            if (o.number() == CoapOptions.ETAG) {
                out.add(o.hex());
            }
        }
        return List.copyOf(out);
    }

    /** The No-Response bitmap (RFC 7967 2.1), or null when absent. */
    public Integer noResponse() {
        return uintAsInt(CoapOptions.NO_RESPONSE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoapMessage m && m.version == version && m.type == type && m.token.equals(token)
                && m.codeClass == codeClass && m.codeDetail == codeDetail && m.messageId == messageId
                && m.options.equals(options) && m.payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, token, code(), messageId, options, payload);
    }

    @Override
    public String toString() {
        return "CoapMessage[" + type + " " + codeText() + " mid=" + messageId + " token=" + token + " options="
                + options + " payload=" + payload.length() + "]";
    }
}
