package org.iotpcap.dissect.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The head of an HTTP/1.1 request or response (RFC 9112 §2.1: start line, header lines, empty line), as the
 * WebSocket opening handshake sends it (RFC 6455 §4). Header names are kept in lower case; a header that
 * appears more than once has its values joined with {@code ", "} (RFC 9110 §5.3). Obsolete line folding
 * (a line starting with a space or tab) continues the previous value. The head is read as ISO-8859-1.
 *
 * @param startLine the request line ({@code GET /mqtt HTTP/1.1}) or status line ({@code HTTP/1.1 101 ...})
 */
public record HttpHead(String startLine, Map<String, String> headers) {

    public HttpHead {
        headers = Map.copyOf(headers);
    }

    /** The header's value (name in any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** True when the header holds {@code token} in its comma-separated list, compared without case. */
    public boolean hasToken(String name, String token) {
        return tokens(name).stream().anyMatch(t -> t.equalsIgnoreCase(token));
    }

    /** The header's comma-separated values, trimmed, empty ones left out (RFC 9110 §5.6.1). */
    public List<String> tokens(String name) {
        String v = header(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String t : v.split(",")) {
                if (!t.isBlank()) {
                    out.add(t.strip());
                }
            }
        }
        return out;
    }

    /** The request's method ({@code GET}), or the status line's first word. */
    public String method() {
        int sp = startLine.indexOf(' ');
        return sp < 0 ? startLine : startLine.substring(0, sp);
    }

    /** The status code of a status line ({@code HTTP/1.1 101 Switching Protocols}), or -1. */
    public int status() {
        String[] p = startLine.split(" ", 3);
        if (p.length < 2 || !p[0].startsWith("HTTP/") || p[1].length() != 3) {
            return -1;
        }
        try {
            return Integer.parseInt(p[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads the head at the front of {@code b[off..off+len)}: {@link WsStep.Done} with the bytes up to and
     * including the empty line, {@link WsStep.NeedMore} while the empty line has not come and fewer than
     * {@code maxBytes} bytes are there, {@link WsStep.Malformed} when it is longer ({@code HANDSHAKE_TOO_LARGE})
     * or a line is not HTTP ({@code BAD_HANDSHAKE}: a control character, a header line without a colon or with
     * an empty name).
     */
    public static WsStep<HttpHead> parse(byte[] b, int off, int len, int maxBytes) {
        int lim = Math.min(len, maxBytes);
        int endOfHead = -1;
        for (int i = 0; i + 3 < lim; i++) {
            if (b[off + i] == '\r' && b[off + i + 1] == '\n' && b[off + i + 2] == '\r' && b[off + i + 3] == '\n') {
                endOfHead = i;
                break;
            }
        }
        if (endOfHead < 0) {
            return len >= maxBytes
                    ? new WsStep.Malformed<>(WsReason.HANDSHAKE_TOO_LARGE, 0, "HTTP head of more than " + maxBytes
                            + " bytes exceeds limit (" + maxBytes + ")")
                    : new WsStep.NeedMore<>(1);
        }
        for (int i = 0; i < endOfHead; i++) {
            int c = b[off + i] & 0xff;
            boolean crlf = (c == '\r' && b[off + i + 1] == '\n') || (c == '\n' && i > 0 && b[off + i - 1] == '\r');
            if ((c < 0x20 && c != '\t' && !crlf) || c == 0x7f) {
                return new WsStep.Malformed<>(WsReason.BAD_HANDSHAKE, i, "control character 0x" + Integer.toHexString(c)
                        + " in the HTTP head");
            }
        }
        String text = new String(b, off, endOfHead, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n", -1);
        if (lines[0].isEmpty()) {
            return new WsStep.Malformed<>(WsReason.BAD_HANDSHAKE, 0, "empty start line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String last = null;
        int at = lines[0].length() + 2;
        for (int k = 1; k < lines.length; k++) {
            String line = lines[k];
            if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                headers.put(last, headers.get(last) + " " + line.strip());
            } else {
                int colon = line.indexOf(':');
                if (colon <= 0 || line.substring(0, colon).strip().length() != colon) {
                    return new WsStep.Malformed<>(WsReason.BAD_HANDSHAKE, at, "header line without a name and a colon");
                }
                last = line.substring(0, colon).toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).strip();
                headers.merge(last, value, (a, v) -> a + ", " + v);
            }
            at += line.length() + 2;
        }
        return new WsStep.Done<>(new HttpHead(lines[0], headers), endOfHead + 4);
    }
}
