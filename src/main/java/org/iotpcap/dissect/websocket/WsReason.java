package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Reason;

/**
 * Why a WebSocket opening handshake or frame (RFC 6455) could not be used. The first group stops the direction
 * for good (reported once; later bytes of that direction are not decoded), as RFC 6455 §7.1.7 has the peer
 * "Fail the WebSocket Connection"; the second is reported once per direction and decoding goes on.
 */
public enum WsReason implements Reason {
    /** The HTTP request or response head is longer than {@link Limits.WebSocket#maxHandshakeBytes()}. */
    HANDSHAKE_TOO_LARGE,
    /** The head is not HTTP/1.1 (request line, status line or a header line is malformed; RFC 6455 §4.1, §4.2.1). */
    BAD_HANDSHAKE,
    /** The server answered the Upgrade with a status other than 101 (RFC 6455 §4.1): no WebSocket follows. */
    UPGRADE_REFUSED,
    /** RSV1-3 set (RFC 6455 §5.2): an extension such as permessage-deflate (RFC 7692) changes the payload. */
    RESERVED_BITS_SET,
    /** Opcode 3-7 or 0xB-0xF (RFC 6455 §5.2 "reserved for further ... frames"). */
    RESERVED_OPCODE,
    /** A 64-bit payload length with its most significant bit set (RFC 6455 §5.2). */
    BAD_PAYLOAD_LENGTH,
    /** A control frame with more than 125 payload bytes, or with FIN clear (RFC 6455 §5.5). */
    BAD_CONTROL_FRAME,
    /** A continuation frame with no fragmented message in progress (RFC 6455 §5.4). */
    CONTINUATION_WITHOUT_MESSAGE,
    /** A new text or binary frame while a fragmented message is in progress (RFC 6455 §5.4). */
    DATA_FRAME_INSIDE_MESSAGE,
    /** A message (all its fragments) longer than {@link Limits.WebSocket#maxMessageBytes()}. */
    MESSAGE_TOO_LARGE,
    /** Bytes of the TCP stream are missing: frame boundaries are lost for the rest of the direction. */
    STREAM_GAP,
    /** The stream ended inside a frame. */
    INCOMPLETE_AT_END,

    /** A client frame without a masking key (RFC 6455 §5.1 "MUST mask"), or a masked server frame (§5.1 "MUST NOT"). */
    BAD_MASKING,
    /** A payload length not in its minimal form (RFC 6455 §5.2 "the minimal number of bytes MUST be used"). */
    NON_MINIMAL_LENGTH,
    /** A text frame on an MQTT connection (MQTT 3.1.1 §6 [MQTT-6.0.0-1], 5.0 §6: binary frames only); still decoded. */
    TEXT_FRAME,
    /** A data frame after the direction's Close frame (RFC 6455 §5.5.1): not decoded. */
    DATA_AFTER_CLOSE;

    /** True for the reasons after which the direction is still framed and decoded. */
    public boolean recoverable() {
        return ordinal() >= BAD_MASKING.ordinal();
    }
}
