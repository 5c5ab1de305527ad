package org.iotpcap.dissect.websocket;

/**
 * The header of one WebSocket frame (RFC 6455 §5.2), 2 to 14 bytes:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 * |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 * |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     Extended payload length continued, if payload len == 127  |
 * + - - - - - - - - - - - - - - - +-------------------------------+
 * |                               |Masking-key, if MASK set to 1  |
 * +-------------------------------+-------------------------------+
 * | Masking-key (continued)       |          Payload Data         |
 * +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * @param maskKey the 4 masking-key bytes, big-endian (meaningful when {@code masked})
 * @param headerLength bytes of this header: 2, plus 2 or 8 for the extended length, plus 4 for the key
 * @param minimalLength false when the length used a longer form than needed (§5.2 "MUST" use the minimal one)
 */
public record WsFrameHeader(boolean fin, int opcode, boolean masked, int maskKey, long payloadLength,
                            int headerLength, boolean minimalLength) {
    public static final int OP_CONTINUATION = 0x0;
    public static final int OP_TEXT = 0x1;
    public static final int OP_BINARY = 0x2;
    public static final int OP_CLOSE = 0x8;
    public static final int OP_PING = 0x9;
    public static final int OP_PONG = 0xA;
    static final int FIN = 0x80;
    static final int MASK_RSV = 0x70;
    static final int MASK_OPCODE = 0x0F;
    static final int MASK = 0x80;
    static final int MASK_LENGTH = 0x7F;
    /** §5.5: "All control frames MUST have a payload length of 125 bytes or less". */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    public static final int MAX_LENGTH = 14;

    /** Control frames are those whose opcode has its most significant bit set (§5.5). */
    public boolean control() {
        return (opcode & 0x8) != 0;
    }

    /**
     * Reads the frame header at {@code b[off..off+len)}: {@link WsStep.NeedMore} when the bytes end inside it,
     * {@link WsStep.Malformed} for reserved bits (§5.2, no extension negotiated is understood), a reserved opcode,
     * a 64-bit length with its most significant bit set, and a control frame that is fragmented or longer than
     * 125 bytes (§5.5).
     */
    public static WsStep<WsFrameHeader> decode(byte[] b, int off, int len) {
        if (len < 2) {
            return new WsStep.NeedMore<>(2 - len);
        }
        int b0 = b[off] & 0xff;
        int b1 = b[off + 1] & 0xff;
        if ((b0 & MASK_RSV) != 0) {
            return new WsStep.Malformed<>(WsReason.RESERVED_BITS_SET, 0, "RSV bits " + ((b0 & MASK_RSV) >>> 4)
                    + " set: an extension (e.g. permessage-deflate) that is not decoded");
        }
        int opcode = b0 & MASK_OPCODE;
        if ((opcode > OP_BINARY && opcode < OP_CLOSE) || opcode > OP_PONG) {
            return new WsStep.Malformed<>(WsReason.RESERVED_OPCODE, 0, "reserved opcode 0x" + Integer.toHexString(opcode));
        }
        boolean fin = (b0 & FIN) != 0;
        boolean masked = (b1 & MASK) != 0;
        int len7 = b1 & MASK_LENGTH;
        int ext = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
        int headerLength = 2 + ext + (masked ? 4 : 0);
        if ((opcode & 0x8) != 0) {
            // §5.5: control frames MUST NOT be fragmented and carry at most 125 bytes (so never an extended length)
            if (!fin) {
                return new WsStep.Malformed<>(WsReason.BAD_CONTROL_FRAME, 0, "control frame 0x"
                        + Integer.toHexString(opcode) + " with FIN clear");
            }
            if (len7 > MAX_CONTROL_PAYLOAD) {
                return new WsStep.Malformed<>(WsReason.BAD_CONTROL_FRAME, 1, "control frame 0x"
                        + Integer.toHexString(opcode) + " with an extended payload length");
            }
        }
        if (len < headerLength) {
            return new WsStep.NeedMore<>(headerLength - len);
        }
        long payload;
        boolean minimal;
        if (ext == 2) {
            payload = (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
            minimal = payload > 125;
        } else if (ext == 8) {
            if ((b[off + 2] & 0x80) != 0) {
                return new WsStep.Malformed<>(WsReason.BAD_PAYLOAD_LENGTH, 2,
                        "64-bit payload length with its most significant bit set");
            }
            payload = 0;
            for (int i = 0; i < 8; i++) {
                payload = payload << 8 | (b[off + 2 + i] & 0xff);
            }
            minimal = payload > 0xFFFF;
        } else {
            payload = len7;
            minimal = true;
        }
        int key = 0;
        if (masked) {
            int k = off + 2 + ext;
            key = (b[k] & 0xff) << 24 | (b[k + 1] & 0xff) << 16 | (b[k + 2] & 0xff) << 8 | (b[k + 3] & 0xff);
        }
        return new WsStep.Done<>(new WsFrameHeader(fin, opcode, masked, key, payload, headerLength, minimal),
                headerLength);
    }
}
