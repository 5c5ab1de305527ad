package org.iotpcap.dissect.coap;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.junit.jupiter.api.Test;

class CoapDecoderTest {

    /** RFC 7252 Appendix A.1: CON GET /temperature, MID 0x7d34, no token. */
    static final byte[] A1_REQUEST = {
        0x40,                       // Ver 1, T CON (0), TKL 0
        0x01,                       // Code 0.01 GET
        0x7d, 0x34,                 // Message ID 0x7d34
        (byte) 0xbb,                // delta 11 (Uri-Path), length 11
        't', 'e', 'm', 'p', 'e', 'r', 'a', 't', 'u', 'r', 'e',
    };

    /** RFC 7252 Appendix A.1: the piggybacked ACK 2.05 "22.3 C". */
    static final byte[] A1_RESPONSE = {
        0x60,                       // Ver 1, T ACK (2), TKL 0
        0x45,                       // Code 2.05 Content
        0x7d, 0x34,                 // Message ID 0x7d34
        (byte) 0xff,                // payload marker
        '2', '2', '.', '3', ' ', 'C',
    };

    static DecodeResult<CoapMessage> decode(byte[] b) {
        return CoapDecoder.decode(ByteView.of(b));
    }

    static void assertMalformed(byte[] b, CoapReason reason) {
        assertThat(decode(b)).isInstanceOfSatisfying(DecodeResult.Malformed.class,
                m -> assertThat(m.reason()).isEqualTo(reason));
    }

    @Test
    void decode_rfc7252_a1_request() {
        CoapMessage m = decode(A1_REQUEST).value();
        assertThat(m.version()).isEqualTo(1);
        assertThat(m.type()).isEqualTo(CoapType.CON);
        assertThat(m.token()).isEmpty();
        assertThat(m.tokenLength()).isZero();
        assertThat(m.codeText()).isEqualTo("0.01");
        assertThat(m.method()).isEqualTo(CoapMethod.GET);
        assertThat(m.isRequest()).isTrue();
        assertThat(m.messageId()).isEqualTo(0x7d34);
        assertThat(m.uriPath()).isEqualTo("/temperature");
        assertThat(m.uriQuery()).isNull();
        assertThat(m.options()).extracting(CoapOption::number, CoapOption::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(11, "Uri-Path"));
        assertThat(m.payloadLength()).isZero();
        assertThat(m.payloadText()).isNull();
    }

    @Test
    void decode_rfc7252_a1_response() {
        CoapMessage m = decode(A1_RESPONSE).value();
        assertThat(m.type()).isEqualTo(CoapType.ACK);
        assertThat(m.code()).isEqualTo(69);
        assertThat(m.codeText()).isEqualTo("2.05");
        assertThat(m.isResponse()).isTrue();
        assertThat(m.responseClass()).isEqualTo(2);
        assertThat(m.method()).isNull();
        assertThat(m.uriPath()).isEqualTo("/");
        assertThat(m.payloadText()).isEqualTo("22.3 C");
        assertThat(m.payloadHex()).isEqualTo("32322e332043");
    }

    @Test
    void decode_rfc7252_a2_token() {
        // A.2: CON GET /temperature, MID 0x7d35, token 0x20
        byte[] b = {0x41, 0x01, 0x7d, 0x35, 0x20, (byte) 0xbb, 't', 'e', 'm', 'p', 'e', 'r', 'a', 't', 'u', 'r', 'e'};
        CoapMessage m = decode(b).value();
        assertThat(m.token()).isEqualTo("20");
        assertThat(m.tokenLength()).isEqualTo(1);
    }

    @Test
    void decode_empty_message() {
        // RFC 7252 4.2: an Empty ACK, 0.00
        CoapMessage m = decode(new byte[] {0x60, 0x00, 0x7d, 0x34}).value();
        assertThat(m.isEmpty()).isTrue();
        assertThat(m.isRequest() || m.isResponse()).isFalse();
        assertThat(m.responseClass()).isNull();
    }

    @Test
    void decode_every_option_form_and_accessor() {
        byte[] msg = {
            0x54,                                   // Ver 1, T NON (1), TKL 4
            0x03,                                   // Code 0.03 PUT
            0x12, 0x34,                             // Message ID 0x1234
            (byte) 0xca, (byte) 0xfe, 0x00, 0x01,   // Token cafe0001
            0x37, 'c', 'o', 'a', 'p', '.', 'm', 'e', // 3 Uri-Host "coap.me" (delta 3, length 7)
            0x11, 0x07,                             // 4 ETag 07 (delta 1, length 1)
            0x20,                                   // 6 Observe, zero-length value = 0 (delta 2)
            0x12, 0x16, 0x33,                       // 7 Uri-Port 5683 (delta 1, length 2)
            0x47, 's', 'e', 'n', 's', 'o', 'r', 's', // 11 Uri-Path "sensors" (delta 4, length 7)
            0x0d, 0x07,                             // 11 Uri-Path (delta 0), length nibble 13, extension 20 - 13 = 7
            'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't',
            0x11, 0x32,                             // 12 Content-Format 50 (delta 1, length 1)
            0x33, 'a', '=', '1',                    // 15 Uri-Query "a=1" (delta 3, length 3)
            0x03, 'b', '=', '2',                    // 15 Uri-Query "b=2" (delta 0, length 3)
            0x21, 0x32,                             // 17 Accept 50 (delta 2, length 1)
            0x61, 0x1a,                             // 23 Block2 0001 1 010: NUM 1, M 1, SZX 2 (delta 6)
            0x41, 0x05,                             // 27 Block1 0000 0 101: NUM 0, M 0, SZX 5 (delta 4)
            0x11, 0x7f,                             // 28 Size2 127 (delta 1)
            (byte) 0xd1, 0x13, 0x40,                // 60 Size1 64: delta nibble 13, extension 32 - 13 = 19
            (byte) 0xd1, (byte) 0xb3, 0x11,         // 252 Echo 11: delta nibble 13, extension 192 - 13 = 179
            0x61, 0x1a,                             // 258 No-Response 26 (delta 6, length 1)
            (byte) 0xe2, 0x00, 0x49, (byte) 0xab, (byte) 0xcd, // 600 unknown: delta nibble 14, 342 - 269 = 73; length 2
            (byte) 0xff, 'h', 'i',                  // payload marker, payload "hi"
        };
        CoapMessage m = decode(msg).value();
        assertThat(m.type()).isEqualTo(CoapType.NON);
        assertThat(m.method()).isEqualTo(CoapMethod.PUT);
        assertThat(m.token()).isEqualTo("cafe0001");
        assertThat(m.uriHost()).isEqualTo("coap.me");
        assertThat(m.etags()).containsExactly("07");
        assertThat(m.observe()).isZero();
        assertThat(m.uriPort()).isEqualTo(5683);
        assertThat(m.uriPath()).isEqualTo("/sensors/abcdefghijklmnopqrst");
        assertThat(m.contentFormat()).isEqualTo(50);
        assertThat(m.uriQuery()).isEqualTo("a=1&b=2");
        assertThat(m.accept()).isEqualTo(50);
        assertThat(m.block2()).isEqualTo(new CoapBlock(1, true, 2, 64));
        assertThat(m.block1()).isEqualTo(new CoapBlock(0, false, 5, 512));
        assertThat(m.size2()).isEqualTo(127L);
        assertThat(m.size1()).isEqualTo(64L);
        assertThat(m.option(CoapOptions.ECHO).hex()).isEqualTo("11");
        assertThat(m.noResponse()).isEqualTo(26);
        CoapOption unknown = m.option(600);
        assertThat(unknown.name()).isEqualTo("Unknown(600)");
        assertThat(unknown.format()).isEqualTo(CoapOptionFormat.UNKNOWN);
        assertThat(unknown.value()).isEqualTo("abcd");
        assertThat(m.options()).extracting(CoapOption::number)
                .containsExactly(3, 4, 6, 7, 11, 11, 12, 15, 15, 17, 23, 27, 28, 60, 252, 258, 600);
        assertThat(m.payloadText()).isEqualTo("hi");
    }

    @Test
    void decode_block_szx_7_is_reserved() {
        assertThat(CoapBlock.of(0x0f)).isEqualTo(new CoapBlock(0, true, 7, 0));
        assertThat(CoapBlock.of(0xfff_f6)).isEqualTo(new CoapBlock(0xffff, false, 6, 1024));
    }

    @Test
    void decode_payload_not_utf8_has_no_text() {
        byte[] b = {0x50, 0x45, 0, 1, (byte) 0xff, (byte) 0xc3, 0x28};
        CoapMessage m = decode(b).value();
        assertThat(m.payloadText()).isNull();
        assertThat(m.payloadLength()).isEqualTo(2);
    }

    @Test
    void decode_too_short_malformed() {
        assertMalformed(new byte[] {0x40, 0x01, 0x7d}, CoapReason.TOO_SHORT);
    }

    @Test
    void decode_version_2_malformed() {
        assertMalformed(new byte[] {(byte) 0x80, 0x01, 0x7d, 0x34}, CoapReason.UNKNOWN_VERSION);
    }

    @Test
    void decode_token_length_9_malformed() {
        assertMalformed(new byte[] {0x49, 0x01, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9}, CoapReason.TOKEN_LENGTH_RESERVED);
    }

    @Test
    void decode_token_past_end_malformed() {
        assertMalformed(new byte[] {0x44, 0x01, 0, 1, 1, 2}, CoapReason.TOKEN_PAST_END);
    }

    @Test
    void decode_delta_nibble_15_malformed() {
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0xf0}, CoapReason.OPTION_DELTA_RESERVED);
    }

    @Test
    void decode_length_nibble_15_malformed() {
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0xbf}, CoapReason.OPTION_LENGTH_RESERVED);
    }

    @Test
    void decode_option_value_past_end_malformed() {
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0xbb, 't', 'e'}, CoapReason.OPTION_PAST_END);
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0xd0}, CoapReason.OPTION_PAST_END);       // no delta extension
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0x0e, 0x00}, CoapReason.OPTION_PAST_END); // half a length extension
    }

    @Test
    void decode_option_number_above_65535_malformed() {
        // delta 14-form 0xffff + 269 = 65,804
        assertMalformed(new byte[] {0x40, 0x01, 0, 1, (byte) 0xe0, (byte) 0xff, (byte) 0xff}, CoapReason.OPTION_NUMBER_TOO_LARGE);
    }

    @Test
    void decode_marker_without_payload_malformed() {
        assertMalformed(new byte[] {0x60, 0x45, 0x7d, 0x34, (byte) 0xff}, CoapReason.EMPTY_PAYLOAD);
    }

    @Test
    void decode_empty_with_token_malformed() {
        assertMalformed(new byte[] {0x61, 0x00, 0x7d, 0x34, 0x20}, CoapReason.EMPTY_MESSAGE_NOT_EMPTY);
        assertMalformed(new byte[] {0x60, 0x00, 0x7d, 0x34, (byte) 0xff, 1}, CoapReason.EMPTY_MESSAGE_NOT_EMPTY);
    }

    @Test
    void decode_too_many_options_malformed() {
        byte[] b = new byte[4 + 257];
        b[0] = 0x40;
        b[1] = 0x01;                // the rest: 257 zero octets, each an option 0 of length 0
        assertMalformed(b, CoapReason.TOO_MANY_OPTIONS);
        assertThat(CoapDecoder.decode(ByteView.of(A1_REQUEST), new Limits.Coap(0)))
                .isInstanceOfSatisfying(DecodeResult.Malformed.class, m -> assertThat(m.reason()).isEqualTo(CoapReason.TOO_MANY_OPTIONS));
        assertThat(CoapDecoder.decode(ByteView.of(A1_REQUEST), new Limits.Coap(1)).isOk()).isTrue();
    }

    @Test
    void decode_cut_by_snaplen_is_truncated() {
        ByteView v = ByteView.of(A1_RESPONSE, 0, 6).withReported(A1_RESPONSE.length);
        assertThat(CoapDecoder.decode(v)).isEqualTo(DecodeResult.truncated(A1_RESPONSE.length, 6));
    }

    @Test
    void uint_option_value_is_big_endian_and_may_be_empty() {
        assertThat(CoapOption.of(CoapOptions.MAX_AGE, new byte[] {0x01, 0x00, 0x00, 0x00}).uint()).isEqualTo(16_777_216L);
        assertThat(CoapOption.of(CoapOptions.MAX_AGE, new byte[0]).uint()).isZero();
        assertThat(CoapOption.of(CoapOptions.MAX_AGE, new byte[5]).uint()).isNull();
        assertThat(CoapOption.of(CoapOptions.MAX_AGE, new byte[5]).lengthInRange()).isFalse();
        assertThat(CoapOption.of(CoapOptions.URI_PATH, "é".getBytes(StandardCharsets.UTF_8)).value()).isEqualTo("é");
    }

    @Test
    void looks_like_accepts_rfc_examples() {
        assertThat(CoapDecoder.looksLike(ByteView.of(A1_REQUEST))).isTrue();
        assertThat(CoapDecoder.looksLike(ByteView.of(A1_RESPONSE))).isTrue();
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x70, 0x00, 0x7d, 0x34}))).isTrue(); // RST Empty
    }

    @Test
    void looks_like_rejects_what_is_not_coap() {
        assertThat(CoapDecoder.looksLike(ByteView.of("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))).isFalse();
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {(byte) 0x80, 0x01, 0, 1}))).isFalse();  // version 2
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x70, 0x45, 0, 1}))).isFalse();         // RST 2.05
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x60, 0x01, 0, 1}))).isFalse();         // ACK GET
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x40, 0x08, 0, 1}))).isFalse();         // 0.08
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x40, 0x21, 0, 1}))).isFalse();         // class 1
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x40, 0x61, 0, 1}))).isFalse();         // class 3
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x40, (byte) 0xc1, 0, 1}))).isFalse();  // class 6
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x40, (byte) 0xe1, 0, 1}))).isTrue();   // 7.01 CSM
        assertThat(CoapDecoder.looksLike(ByteView.of(new byte[] {0x60, 0x45, 0, 1, (byte) 0xff}))).isFalse();
    }
}
