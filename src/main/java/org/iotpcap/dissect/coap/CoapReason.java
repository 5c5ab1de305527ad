package org.iotpcap.dissect.coap;

import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Reason;

/** Why a CoAP message is a message format error (RFC 7252 section 3 unless said otherwise). */
public enum CoapReason implements Reason {
    /** Fewer than the 4 header octets. */
    TOO_SHORT,
    /** Ver is not 1: "Messages with unknown version numbers MUST be silently ignored." */
    UNKNOWN_VERSION,
    /** TKL 9 to 15: "MUST be processed as a message format error". */
    TOKEN_LENGTH_RESERVED,
    /** The token runs past the end of the datagram. */
    TOKEN_PAST_END,
    /** An option's extended delta, extended length or value runs past the end of the datagram (3.1). */
    OPTION_PAST_END,
    /** Option delta nibble 15 in a byte other than the payload marker 0xFF (3.1). */
    OPTION_DELTA_RESERVED,
    /** Option length nibble 15 (3.1). */
    OPTION_LENGTH_RESERVED,
    /** The running option number passes 65,535, the largest option number (section 12.2). */
    OPTION_NUMBER_TOO_LARGE,
    /** A payload marker followed by no payload (3: "MUST be processed as a message format error"). */
    EMPTY_PAYLOAD,
    /** Code 0.00 (Empty) with a token, options or payload (4.1). */
    EMPTY_MESSAGE_NOT_EMPTY,
    /** More options than {@link Limits.Coap#maxOptions()}. */
    TOO_MANY_OPTIONS
}
