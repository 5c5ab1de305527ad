package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WsFrameHeader} and {@link WsFrameDecoder} on inline frames: RFC 6455 §5.7's own examples, every length
 * form, masking (§5.3), fragmentation (§5.4) with control frames between fragments (§5.5), every split point and
 * one byte at a time, and one test per rule that is broken, asserting its reason.
 */
class WsFrameDecoderTest {

    /** Collects payload bytes with the frame that carried each byte, and problems. */
    static final class Sink implements WsFrameSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Long> frames = new ArrayList<>();
        final List<WsReason> reasons = new ArrayList<>();
        final List<String> details = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();

        @Override
        public void payload(byte[] b, int off, int len, long frame, long nanos) {
            bytes.write(b, off, len);
            for (int i = 0; i < len; i++) {
                frames.add(frame);
            }
        }

        @Override
        public void problem(WsReason reason, long frame, long offset, String detail) {
            reasons.add(reason);
            details.add(detail);
            offsets.add(offset);
        }

        byte[] data() {
            return bytes.toByteArray();
        }
    }

    private static byte[] b(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A frame as a sender writes it; {@code key} null for an unmasked frame; {@code form} 7, 16 or 64. */
    static byte[] frame(boolean fin, int opcode, byte[] payload, byte[] key, int form) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write((fin ? 0x80 : 0) | opcode);
        int m = key != null ? 0x80 : 0;
        if (form == 7) {
            o.write(m | payload.length);
        } else if (form == 16) {
            o.write(m | 126);
            o.write(payload.length >>> 8);
            o.write(payload.length);
        } else {
            o.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                o.write((int) ((long) payload.length >>> (8 * i)));
            }
        }
        if (key != null) {
            o.writeBytes(key);
            for (int i = 0; i < payload.length; i++) {
                o.write(payload[i] ^ key[i % 4]);
            }
        } else {
            o.writeBytes(payload);
        }
        return o.toByteArray();
    }

    private static int minimalForm(int n) {
        return n <= 125 ? 7 : n <= 0xFFFF ? 16 : 64;
    }

    private static Sink feed(Boolean expectMasked, Limits.WebSocket limits, byte[]... chunks) {
        Sink s = new Sink();
        WsFrameDecoder d = new WsFrameDecoder(s, limits, expectMasked, 0);
        long frame = 1;
        for (byte[] c : chunks) {
            d.feed(c, 0, c.length, frame++, 0);
        }
        d.close();
        return s;
    }

    private static Sink feed(Boolean expectMasked, byte[]... chunks) {
        return feed(expectMasked, Limits.WebSocket.DEFAULTS, chunks);
    }

    private static final byte[] HELLO = "Hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    // ---- RFC 6455 §5.7 examples

    @Test
    void decode_rfc_single_frame_unmasked_text() {
        Sink s = feed(null, b(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
        assertThat(s.data()).isEqualTo(HELLO);
        assertThat(s.reasons).containsExactly(WsReason.TEXT_FRAME);
    }

    @Test
    void decode_rfc_single_frame_masked_text() {
        // 0x81 0x85, masking key 37 fa 21 3d, masked "Hello" 7f 9f 4d 51 58
        Sink s = feed(true, b(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
        assertThat(s.data()).isEqualTo(HELLO);
    }

    @Test
    void decode_rfc_fragmented_unmasked_text() {
        Sink s = feed(null, b(0x01, 0x03, 0x48, 0x65, 0x6c), b(0x80, 0x02, 0x6c, 0x6f));
        assertThat(s.data()).isEqualTo(HELLO);
    }

    @Test
    void decode_rfc_ping_and_pong_are_skipped() {
        Sink s = feed(null, b(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f),
                b(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58));
        assertThat(s.data()).isEmpty();
        assertThat(s.reasons).isEmpty();
    }

    @Test
    void decode_rfc_256_bytes_16_bit_length_and_64_kib_64_bit_length() {
        WsStep<WsFrameHeader> h16 = WsFrameHeader.decode(b(0x82, 0x7E, 0x01, 0x00), 0, 4);
        assertThat(h16).isEqualTo(new WsStep.Done<>(new WsFrameHeader(true, 2, false, 0, 256, 4, true), 4));
        WsStep<WsFrameHeader> h64 = WsFrameHeader.decode(b(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0), 0, 10);
        assertThat(h64).isEqualTo(new WsStep.Done<>(new WsFrameHeader(true, 2, false, 0, 65536, 10, true), 10));
    }

    // ---- length forms, masking

    @Test
    void decode_every_length_form_masked_and_unmasked() {
        byte[] key = b(0xa1, 0x02, 0xf3, 0x44);
        for (int n : new int[] {0, 1, 125, 126, 127, 300, 65535, 65536, 70000}) {
            byte[] p = new byte[n];
            for (int i = 0; i < n; i++) {
                p[i] = (byte) (i * 31 + 7);
            }
            for (byte[] k : new byte[][] {null, key}) {
                Sink s = feed(k != null, frame(true, 2, p, k, minimalForm(n)));
                assertThat(s.data()).as("%d bytes, masked %s", n, k != null).isEqualTo(p);
                assertThat(s.reasons).as("%d bytes", n).isEmpty();
            }
        }
    }

    @Test
    void decode_header_fields() {
        WsStep<WsFrameHeader> r = WsFrameHeader.decode(b(0x02, 0xFE, 0x00, 0x80, 1, 2, 3, 4), 0, 8);
        assertThat(r).isEqualTo(new WsStep.Done<>(new WsFrameHeader(false, 2, true, 0x01020304, 128, 8, true), 8));
        assertThat(WsFrameHeader.decode(b(0x82), 0, 1)).isEqualTo(new WsStep.NeedMore<>(1));
        assertThat(WsFrameHeader.decode(b(0x82, 0xFF, 0, 0), 0, 4)).isEqualTo(new WsStep.NeedMore<>(10));
    }

    @Test
    void decode_non_minimal_length_reported_once_and_decoded() {
        Sink s = feed(null, frame(true, 2, HELLO, null, 16), frame(true, 2, HELLO, null, 64));
        assertThat(s.data()).isEqualTo(cat(HELLO, HELLO));
        assertThat(s.reasons).containsExactly(WsReason.NON_MINIMAL_LENGTH);
    }

    @Test
    void decode_unmasked_client_frame_reported_once_and_decoded() {
        Sink s = feed(true, frame(true, 2, HELLO, null, 7), frame(true, 2, HELLO, null, 7));
        assertThat(s.data()).isEqualTo(cat(HELLO, HELLO));
        assertThat(s.reasons).containsExactly(WsReason.BAD_MASKING);
    }

    @Test
    void decode_masked_server_frame_reported() {
        Sink s = feed(false, frame(true, 2, HELLO, b(1, 2, 3, 4), 7));
        assertThat(s.data()).isEqualTo(HELLO);
        assertThat(s.reasons).containsExactly(WsReason.BAD_MASKING);
    }

    // ---- fragmentation and control frames

    @Test
    void decode_fragments_joined_with_control_frames_between_them() {
        byte[] key = b(9, 8, 7, 6);
        byte[] stream = cat(
                frame(false, 2, "ab".getBytes(), key, 7),
                frame(true, 9, "ping".getBytes(), key, 7),
                frame(false, 0, "cd".getBytes(), key, 7),
                frame(true, 10, new byte[0], key, 7),
                frame(true, 0, "ef".getBytes(), key, 7),
                frame(true, 2, "gh".getBytes(), key, 7));
        Sink s = feed(true, stream);
        assertThat(new String(s.data())).isEqualTo("abcdefgh");
        assertThat(s.reasons).isEmpty();
    }

    @Test
    void decode_zero_length_frames() {
        Sink s = feed(null, frame(false, 2, new byte[0], null, 7), frame(true, 0, new byte[0], null, 7),
                frame(true, 2, HELLO, null, 7));
        assertThat(s.data()).isEqualTo(HELLO);
        assertThat(s.reasons).isEmpty();
    }

    @Test
    void decode_counts_frames_and_messages() {
        Sink s = new Sink();
        WsFrameDecoder d = new WsFrameDecoder(s, Limits.WebSocket.DEFAULTS, null, 0);
        byte[] st = cat(frame(false, 2, HELLO, null, 7), frame(true, 9, HELLO, null, 7), frame(true, 0, HELLO, null, 7),
                frame(true, 2, HELLO, null, 7));
        d.feed(st, 0, st.length, 1, 0);
        assertThat(d.frames()).isEqualTo(4);
        assertThat(d.controlFrames()).isEqualTo(1);
        assertThat(d.messages()).isEqualTo(2);
    }

    /** Several frames of every kind; the decoder's output whatever the chunking must be the same bytes. */
    private static byte[] mixedStream() {
        byte[] key = b(0x5a, 0xc3, 0x01, 0xee);
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 'x');
        return cat(
                frame(true, 2, "one".getBytes(), key, 7),
                frame(false, 2, "tw".getBytes(), key, 7),
                frame(true, 9, "p".getBytes(), key, 7),
                frame(true, 0, "o".getBytes(), key, 7),
                frame(true, 2, big, key, 16),
                frame(true, 2, "six".getBytes(), key, 64),
                frame(true, 8, b(0x03, 0xe8), key, 7));
    }

    private static byte[] mixedPayload() {
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 'x');
        return cat("onetwo".getBytes(), big, "six".getBytes());
    }

    @Test
    void decode_every_split_point() {
        byte[] st = mixedStream();
        for (int cut = 0; cut <= st.length; cut++) {
            Sink s = feed(true, Arrays.copyOfRange(st, 0, cut), Arrays.copyOfRange(st, cut, st.length));
            assertThat(s.data()).as("cut at %d", cut).isEqualTo(mixedPayload());
            assertThat(s.reasons).as("cut at %d", cut).containsExactly(WsReason.NON_MINIMAL_LENGTH);
        }
    }

    @Test
    void decode_one_byte_at_a_time_keeps_each_byte_s_frame() {
        byte[] st = mixedStream();
        byte[][] chunks = new byte[st.length][];
        for (int i = 0; i < st.length; i++) {
            chunks[i] = new byte[] {st[i]};
        }
        Sink s = feed(true, chunks);
        assertThat(s.data()).isEqualTo(mixedPayload());
        // the first payload byte "o" is the 7th stream byte (2 header + 4 key): fed as frame 7
        assertThat(s.frames.get(0)).isEqualTo(7L);
        assertThat(s.frames).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void decode_payload_of_one_chunk_keeps_its_frame() {
        byte[] f = frame(true, 2, "abcdef".getBytes(), null, 7);
        Sink s = feed(null, Arrays.copyOfRange(f, 0, 5), Arrays.copyOfRange(f, 5, f.length));
        assertThat(s.frames).containsExactly(1L, 1L, 1L, 2L, 2L, 2L);
    }

    @Test
    void decode_array_offsets_respected() {
        byte[] f = frame(true, 2, HELLO, b(1, 2, 3, 4), 7);
        byte[] padded = new byte[f.length + 10];
        Arrays.fill(padded, (byte) 0x82);
        System.arraycopy(f, 0, padded, 4, f.length);
        Sink s = new Sink();
        WsFrameDecoder d = new WsFrameDecoder(s, Limits.WebSocket.DEFAULTS, true, 0);
        d.feed(padded, 4, 3, 1, 0);
        d.feed(padded, 7, f.length - 3, 2, 0);
        assertThat(s.data()).isEqualTo(HELLO);
    }

    // ---- malformed: the direction stops

    private static void assertStops(WsReason reason, byte[]... chunks) {
        byte[][] withMore = Arrays.copyOf(chunks, chunks.length + 1);
        withMore[chunks.length] = frame(true, 2, "after".getBytes(), null, 7);
        Sink s = feed(null, withMore);
        assertThat(s.reasons).as(reason.name()).containsExactly(reason);
        assertThat(new String(s.data())).doesNotContain("after");
        assertThat(s.details.get(0)).contains("the rest of this direction is not decoded");
        assertThat(reason.recoverable()).isFalse();
    }

    @Test
    void decode_reserved_bits_malformed() {
        assertStops(WsReason.RESERVED_BITS_SET, b(0xC2, 0x01, 0x00));   // RSV1: permessage-deflate
        assertStops(WsReason.RESERVED_BITS_SET, b(0x92, 0x00));         // RSV3
    }

    @Test
    void decode_reserved_opcodes_malformed() {
        for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertStops(WsReason.RESERVED_OPCODE, b(0x80 | op, 0x00));
        }
    }

    @Test
    void decode_64_bit_length_with_high_bit_malformed() {
        assertStops(WsReason.BAD_PAYLOAD_LENGTH, b(0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1));
    }

    @Test
    void decode_control_frame_too_long_or_fragmented_malformed() {
        assertStops(WsReason.BAD_CONTROL_FRAME, b(0x89, 0x7E, 0x00, 0x7E));   // 126 bytes: 16-bit form
        assertStops(WsReason.BAD_CONTROL_FRAME, b(0x09, 0x00));               // Ping, FIN clear
        byte[] p = new byte[125];
        Sink ok = feed(null, frame(true, 9, p, null, 7));
        assertThat(ok.reasons).isEmpty();
    }

    @Test
    void decode_continuation_without_message_malformed() {
        assertStops(WsReason.CONTINUATION_WITHOUT_MESSAGE, frame(true, 0, HELLO, null, 7));
    }

    @Test
    void decode_data_frame_inside_message_malformed() {
        assertStops(WsReason.DATA_FRAME_INSIDE_MESSAGE, frame(false, 2, HELLO, null, 7), frame(true, 2, HELLO, null, 7));
    }

    @Test
    void decode_message_over_limit_malformed() {
        Limits.WebSocket small = new Limits.WebSocket(64, 8);
        Sink s = feed(null, small, frame(false, 2, HELLO, null, 7), frame(true, 0, HELLO, null, 7));
        assertThat(s.reasons).containsExactly(WsReason.MESSAGE_TOO_LARGE);
        assertThat(s.details.get(0)).contains("exceeds limit (8)");
        assertThat(s.data()).isEqualTo(HELLO);
        Sink one = feed(null, small, frame(true, 2, new byte[9], null, 7));
        assertThat(one.reasons).containsExactly(WsReason.MESSAGE_TOO_LARGE);
        assertThat(one.data()).isEmpty();
    }

    @Test
    void decode_gap_stops_the_direction() {
        Sink s = new Sink();
        WsFrameDecoder d = new WsFrameDecoder(s, Limits.WebSocket.DEFAULTS, null, 100);
        byte[] f = frame(true, 2, HELLO, null, 7);
        d.feed(f, 0, 3, 1, 0);
        d.gap(50, 2);
        d.feed(f, 0, f.length, 3, 0);
        d.close();
        assertThat(s.reasons).containsExactly(WsReason.STREAM_GAP);
        assertThat(s.offsets).containsExactly(103L);
        assertThat(s.details.get(0)).contains("inside a frame that started at offset 100");
        assertThat(new String(s.data())).isEqualTo("H");
        assertThat(d.stopped()).isTrue();
    }

    @Test
    void decode_incomplete_at_end_reported() {
        byte[] f = frame(true, 2, HELLO, null, 7);
        Sink payload = feed(null, Arrays.copyOf(f, 4));
        assertThat(payload.reasons).containsExactly(WsReason.INCOMPLETE_AT_END);
        assertThat(payload.details.get(0)).contains("2 of 5 payload bytes");
        Sink header = feed(null, b(0x82, 0x7E, 0x01));
        assertThat(header.reasons).containsExactly(WsReason.INCOMPLETE_AT_END);
        assertThat(header.details.get(0)).contains("3 header bytes");
    }

    // ---- reported once, decoding goes on

    @Test
    void decode_text_frames_reported_once_and_decoded() {
        Sink s = feed(null, frame(true, 1, HELLO, null, 7), frame(true, 1, HELLO, null, 7));
        assertThat(s.data()).isEqualTo(cat(HELLO, HELLO));
        assertThat(s.reasons).containsExactly(WsReason.TEXT_FRAME);
        assertThat(WsReason.TEXT_FRAME.recoverable()).isTrue();
    }

    @Test
    void decode_data_after_close_not_passed_on() {
        Sink s = feed(null, frame(true, 8, b(0x03, 0xe8), null, 7), frame(true, 2, HELLO, null, 7),
                frame(true, 2, HELLO, null, 7));
        assertThat(s.data()).isEmpty();
        assertThat(s.reasons).containsExactly(WsReason.DATA_AFTER_CLOSE);
    }

    @Test
    void decode_problem_offsets_are_stream_offsets() {
        Sink s = new Sink();
        WsFrameDecoder d = new WsFrameDecoder(s, Limits.WebSocket.DEFAULTS, null, 200);
        byte[] st = cat(frame(true, 2, HELLO, null, 7), b(0x83, 0x00));
        d.feed(st, 0, st.length, 1, 0);
        assertThat(s.reasons).containsExactly(WsReason.RESERVED_OPCODE);
        assertThat(s.offsets).containsExactly(207L);
    }
}
