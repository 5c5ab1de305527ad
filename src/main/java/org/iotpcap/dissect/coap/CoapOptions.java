package org.iotpcap.dissect.coap;

/**
 * The option registry (RFC 7252 section 12.2 and the RFCs named below): number, name, value format and
 * allowed value length. An option whose length is outside its range is kept, and treated like an unrecognized
 * option for its typed value (RFC 7252 section 5.4.3).
 */
public final class CoapOptions {
    private CoapOptions() {}

    public static final int IF_MATCH = 1;
    public static final int URI_HOST = 3;
    public static final int ETAG = 4;
    public static final int IF_NONE_MATCH = 5;
    public static final int OBSERVE = 6;            // RFC 7641
    public static final int URI_PORT = 7;
    public static final int LOCATION_PATH = 8;
    public static final int OSCORE = 9;             // RFC 8613
    public static final int URI_PATH = 11;
    public static final int CONTENT_FORMAT = 12;
    public static final int MAX_AGE = 14;
    public static final int URI_QUERY = 15;
    public static final int HOP_LIMIT = 16;         // RFC 8768
    public static final int ACCEPT = 17;
    public static final int Q_BLOCK1 = 19;          // RFC 9177
    public static final int LOCATION_QUERY = 20;
    public static final int EDHOC = 21;             // RFC 9668
    public static final int BLOCK2 = 23;            // RFC 7959
    public static final int BLOCK1 = 27;            // RFC 7959
    public static final int SIZE2 = 28;             // RFC 7959
    public static final int Q_BLOCK2 = 31;          // RFC 9177
    public static final int PROXY_URI = 35;
    public static final int PROXY_SCHEME = 39;
    public static final int SIZE1 = 60;
    public static final int ECHO = 252;             // RFC 9175
    public static final int NO_RESPONSE = 258;      // RFC 7967
    public static final int REQUEST_TAG = 292;      // RFC 9175

    /** A registry entry. */
    public record Definition(int number, String name, CoapOptionFormat format, int minLength, int maxLength) {}

    private static final Definition[] DEFINITIONS = {
        new Definition(IF_MATCH, "If-Match", CoapOptionFormat.OPAQUE, 0, 8),
        new Definition(URI_HOST, "Uri-Host", CoapOptionFormat.STRING, 1, 255),
        new Definition(ETAG, "ETag", CoapOptionFormat.OPAQUE, 1, 8),
        new Definition(IF_NONE_MATCH, "If-None-Match", CoapOptionFormat.EMPTY, 0, 0),
        new Definition(OBSERVE, "Observe", CoapOptionFormat.UINT, 0, 3),
        new Definition(URI_PORT, "Uri-Port", CoapOptionFormat.UINT, 0, 2),
        new Definition(LOCATION_PATH, "Location-Path", CoapOptionFormat.STRING, 0, 255),
        new Definition(OSCORE, "OSCORE", CoapOptionFormat.OPAQUE, 0, 255),
        new Definition(URI_PATH, "Uri-Path", CoapOptionFormat.STRING, 0, 255),
        new Definition(CONTENT_FORMAT, "Content-Format", CoapOptionFormat.UINT, 0, 2),
        new Definition(MAX_AGE, "Max-Age", CoapOptionFormat.UINT, 0, 4),
        new Definition(URI_QUERY, "Uri-Query", CoapOptionFormat.STRING, 0, 255),
        new Definition(HOP_LIMIT, "Hop-Limit", CoapOptionFormat.UINT, 1, 1),
        new Definition(ACCEPT, "Accept", CoapOptionFormat.UINT, 0, 2),
        new Definition(Q_BLOCK1, "Q-Block1", CoapOptionFormat.UINT, 0, 3),
        new Definition(LOCATION_QUERY, "Location-Query", CoapOptionFormat.STRING, 0, 255),
        new Definition(EDHOC, "EDHOC", CoapOptionFormat.EMPTY, 0, 0),
        new Definition(BLOCK2, "Block2", CoapOptionFormat.UINT, 0, 3),
        new Definition(BLOCK1, "Block1", CoapOptionFormat.UINT, 0, 3),
        new Definition(SIZE2, "Size2", CoapOptionFormat.UINT, 0, 4),
        new Definition(Q_BLOCK2, "Q-Block2", CoapOptionFormat.UINT, 0, 3),
        new Definition(PROXY_URI, "Proxy-Uri", CoapOptionFormat.STRING, 1, 1034),
        new Definition(PROXY_SCHEME, "Proxy-Scheme", CoapOptionFormat.STRING, 1, 255),
        new Definition(SIZE1, "Size1", CoapOptionFormat.UINT, 0, 4),
        new Definition(ECHO, "Echo", CoapOptionFormat.OPAQUE, 1, 40),
        new Definition(NO_RESPONSE, "No-Response", CoapOptionFormat.UINT, 0, 1),
        new Definition(REQUEST_TAG, "Request-Tag", CoapOptionFormat.OPAQUE, 0, 8),
    };

    /** The registry entry for {@code number}, or null when unknown. */
    public static Definition definition(int number) {
        for (Definition d : DEFINITIONS) {
            if (d.number() == number) {
                return d;
            }
        }
        return null;
    }

    /** The registered name, or {@code Unknown(n)}. */
    public static String name(int number) {
        Definition d = definition(number);
        return d != null ? d.name() : "Unknown(" + number + ")";
    }

    /** RFC 7252 5.4.6: odd option numbers are critical. */
    public static boolean isCritical(int number) {
        return (number & 1) != 0;
    }
}
