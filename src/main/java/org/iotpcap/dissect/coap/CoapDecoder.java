package org.iotpcap.dissect.coap;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * Decodes one CoAP message from a UDP datagram (RFC 7252 section 3), with the options of RFC 7641
 * (Observe), RFC 7959 (Block1, Block2, Size1, Size2), RFC 7967 (No-Response) and the others of
 * {@link CoapOptions}; unknown options are kept as number and bytes.
 *
 * <p>Message format errors (a {@link CoapReason}): fewer than 4 octets, Ver other than 1, TKL 9 to 15, a token,
 * extended delta or length, or option value past the end, nibble 15 in an option header that is not the
 * payload marker 0xFF, an option number above 65,535, a payload marker with no payload after it, an Empty
 * message (0.00) with anything after the Message ID, and more options than {@link Limits.Coap#maxOptions()}.
 * A datagram the capture cut (reported length above the captured one) is {@code Truncated}, because its
 * payload would be incomplete. Not checked here: option repetition and critical-option rules (RFC 7252 5.4),
 * which a receiver applies, not the message format. The decoder never throws.
 */
public final class CoapDecoder {
    private static final int HEADER = 4;
    private static final int PAYLOAD_MARKER = 0xff;
    private static final int MAX_OPTION_NUMBER = 65_535;

    private CoapDecoder() {}

    public static DecodeResult<CoapMessage> decode(ByteView datagram) {
        return decode(datagram, Limits.Coap.DEFAULTS);
    }

    public static DecodeResult<CoapMessage> decode(ByteView d, Limits.Coap limits) {
        if (d.reported() > d.length()) {
            return DecodeResult.truncated(d.reported(), d.length());
        }
        int len = d.length();
        if (len < HEADER) {
            return DecodeResult.malformed(CoapReason.TOO_SHORT, 0, "have " + len + " of 4 header octets");
        }
        int b0 = d.u8(0);
        int version = b0 >>> 6;
        // 3: "Implementations of this specification MUST set this field to 1 (01 binary)."
        if (version != 1) {
            return DecodeResult.malformed(CoapReason.UNKNOWN_VERSION, 0, "version " + version);
        }
        CoapType type = CoapType.of(b0 >>> 4);
        int tkl = b0 & 0x0f;
        // 3: "Lengths 9-15 are reserved, MUST NOT be sent, and MUST be processed as a message format error."
        if (tkl > 8) {
            return DecodeResult.malformed(CoapReason.TOKEN_LENGTH_RESERVED, 0, "TKL " + tkl);
        }
        int code = d.u8(1);
        int mid = d.u16(2);
        if (HEADER + tkl > len) {
            return DecodeResult.malformed(CoapReason.TOKEN_PAST_END, HEADER, "TKL " + tkl + " with "
                    + (len - HEADER) + " octets left");
        }
        // 4.1: an Empty message has TKL 0 and "bytes of data MUST NOT be present after the Message ID field"
        if (code == 0 && len > HEADER) {
            return DecodeResult.malformed(CoapReason.EMPTY_MESSAGE_NOT_EMPTY, HEADER, (len - HEADER)
                    + " octets after the Message ID of an Empty message");
        }
        String token = d.hex(HEADER, tkl);
        List<CoapOption> options = new ArrayList<>(4);
        int pos = HEADER + tkl;
        int number = 0;
        ByteView payload = ByteView.empty();
        while (pos < len) {
            int start = pos;
            int b = d.u8(pos++);
            if (b == PAYLOAD_MARKER) {
                // 3: "The presence of a marker followed by a zero-length payload MUST be processed as a
                // message format error."
                if (pos == len) {
                    return DecodeResult.malformed(CoapReason.EMPTY_PAYLOAD, start, "payload marker ends the message");
                }
                payload = ByteView.of(d.toByteArray(pos, len - pos)); // the one copy out of the datagram
                break;
            }
            //   0   1   2   3   4   5   6   7
            // | Option Delta  | Option Length |   then 0-2 octets extended delta, 0-2 extended length, value
            int delta = b >>> 4;
            int olen = b & 0x0f;
            // 3.1: 15 is "Reserved for the Payload Marker"; otherwise a message format error
            if (delta == 15) {
                return DecodeResult.malformed(CoapReason.OPTION_DELTA_RESERVED, start, "option delta nibble 15");
            }
            if (olen == 15) {
                return DecodeResult.malformed(CoapReason.OPTION_LENGTH_RESERVED, start, "option length nibble 15");
            }
            if (delta == 13 || delta == 14) {
                int n = delta - 12; // 13: one extended octet, minus 13; 14: two, minus 269
                if (pos + n > len) {
                    return DecodeResult.malformed(CoapReason.OPTION_PAST_END, start, "extended option delta");
                }
                delta = n == 1 ? d.u8(pos) + 13 : d.u16(pos) + 269;
                pos += n;
            }
            if (olen == 13 || olen == 14) {
                int n = olen - 12;
                if (pos + n > len) {
                    return DecodeResult.malformed(CoapReason.OPTION_PAST_END, start, "extended option length");
                }
                olen = n == 1 ? d.u8(pos) + 13 : d.u16(pos) + 269;
                pos += n;
            }
            number += delta;
            if (number > MAX_OPTION_NUMBER) {
                return DecodeResult.malformed(CoapReason.OPTION_NUMBER_TOO_LARGE, start, "option number " + number);
            }
            if (options.size() == limits.maxOptions()) {
                return DecodeResult.malformed(CoapReason.TOO_MANY_OPTIONS, start, "options (" + (options.size() + 1)
                        + ") exceed limit (" + limits.maxOptions() + ")");
            }
            if (pos + olen > len) {
                return DecodeResult.malformed(CoapReason.OPTION_PAST_END, start, "option " + number + " of " + olen
                        + " octets with " + (len - pos) + " left");
            }
            options.add(CoapOption.of(number, d.toByteArray(pos, olen)));
            pos += olen;
        }
        String text = payload.length() > 0 && payload.isValidUtf8(0, payload.length())
                ? payload.utf8(0, payload.length()) : null;
        return DecodeResult.ok(new CoapMessage(version, type, token, tkl, code >>> 5, code & 0x1f, mid, options,
                payload, text));
    }

    /**
     * A strict test for CoAP on a port that is not CoAP's. True only when all of these hold:
     * <ol>
     * <li>the whole datagram {@link #decode decodes} (so: at least 4 octets, Ver 1, TKL at most 8, every option
     *     well-formed with no reserved nibble, option numbers at most 65,535, a payload marker only when a
     *     payload follows, an Empty message of exactly 4 octets, and not cut by the capture);</li>
     * <li>the code class is 0 (with detail 0 to 7: Empty or an assigned method), 2, 4, 5, or 7 (signalling);</li>
     * <li>a Reset is Empty (RFC 7252 4.2 and 4.3), and an Acknowledgement is not a request (4.2).</li>
     * </ol>
     */
    public static boolean looksLike(ByteView datagram) {
        if (datagram.length() < HEADER) {
            return false;
        }
        int b0 = datagram.u8(0);
        int cls = datagram.u8(1) >>> 5;
        int detail = datagram.u8(1) & 0x1f;
        if (b0 >>> 6 != 1 || (b0 & 0x0f) > 8) {
            return false;
        }
        boolean classOk = (cls == 0 && detail <= 7) || cls == 2 || cls == 4 || cls == 5 || cls == 7;
        if (!classOk) {
            return false;
        }
        CoapType type = CoapType.of(b0 >>> 4);
        boolean empty = cls == 0 && detail == 0;
        if (type == CoapType.RST && !empty) {
            return false;
        }
        if (type == CoapType.ACK && cls == 0 && !empty) {
            return false;
        }
        return decode(datagram).isOk();
    }
}
