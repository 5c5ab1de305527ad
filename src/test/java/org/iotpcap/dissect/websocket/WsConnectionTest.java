package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The opening handshake (RFC 6455 §4; MQTT 3.1.1 §6 subprotocol "mqtt") read by {@link HttpHead} and
 * {@link WsConnection}: which upgrades are MQTT, the head split at every byte, bytes after the heads, limits.
 */
class WsConnectionTest {
    static final String REQUEST = "GET /mqtt HTTP/1.1\r\nHost: broker:9001\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: mqtt\r\n\r\n";
    static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n";

    static final class Sink implements WsConnection.Sink {
        final ByteArrayOutputStream client = new ByteArrayOutputStream();
        final ByteArrayOutputStream server = new ByteArrayOutputStream();
        final List<Long> clientFrames = new ArrayList<>();
        final List<WsReason> reasons = new ArrayList<>();
        final List<Long> offsets = new ArrayList<>();
        String upgraded;
        long upgradedFrame;

        @Override
        public void upgraded(String subprotocol, long frame) {
            upgraded = String.valueOf(subprotocol);
            upgradedFrame = frame;
        }

        @Override
        public void payload(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
            (fromClient ? client : server).write(b, off, len);
            if (fromClient) {
                for (int i = 0; i < len; i++) {
                    clientFrames.add(frame);
                }
            }
        }

        @Override
        public void problem(boolean fromClient, WsReason reason, long frame, long offset, String detail) {
            reasons.add(reason);
            offsets.add(offset);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final byte[] KEY = {1, 2, 3, 4};

    private static WsConnection open(Sink s, boolean any) {
        WsConnection c = new WsConnection(s, Limits.WebSocket.DEFAULTS, any);
        byte[] q = ascii(REQUEST);
        byte[] r = ascii(RESPONSE);
        c.feed(true, q, 0, q.length, 1, 0);
        c.feed(false, r, 0, r.length, 2, 0);
        return c;
    }

    @Test
    void parse_request_head() {
        byte[] q = ascii(REQUEST + "rest");
        WsStep<HttpHead> r = HttpHead.parse(q, 0, q.length, 4096);
        assertThat(r).isInstanceOf(WsStep.Done.class);
        WsStep.Done<HttpHead> d = (WsStep.Done<HttpHead>) r;
        assertThat(d.consumed()).isEqualTo(REQUEST.length());
        assertThat(d.value().method()).isEqualTo("GET");
        assertThat(d.value().header("sec-websocket-protocol")).isEqualTo("mqtt");
        assertThat(d.value().hasToken("Connection", "upgrade")).isTrue();
    }

    @Test
    void parse_repeated_headers_joined_and_folded_lines_continued() {
        byte[] q = ascii("GET / HTTP/1.1\r\nSec-WebSocket-Protocol: wamp\r\nSec-WebSocket-Protocol: mqtt,\r\n  mqttv3.1\r\n\r\n");
        HttpHead h = ((WsStep.Done<HttpHead>) HttpHead.parse(q, 0, q.length, 4096)).value();
        assertThat(h.tokens("Sec-WebSocket-Protocol")).containsExactly("wamp", "mqtt", "mqttv3.1");
    }

    @Test
    void parse_status_line() {
        byte[] r = ascii(RESPONSE);
        HttpHead h = ((WsStep.Done<HttpHead>) HttpHead.parse(r, 0, r.length, 4096)).value();
        assertThat(h.status()).isEqualTo(101);
    }

    @Test
    void parse_malformed_heads() {
        byte[] noColon = ascii("GET / HTTP/1.1\r\nUpgrade websocket\r\n\r\n");
        assertThat(HttpHead.parse(noColon, 0, noColon.length, 4096))
                .isEqualTo(new WsStep.Malformed<>(WsReason.BAD_HANDSHAKE, 16, "header line without a name and a colon"));
        byte[] nul = ascii("GET / HTTP/1.1\r\nA: \u0000\r\n\r\n");
        assertThat(HttpHead.parse(nul, 0, nul.length, 4096)).isInstanceOf(WsStep.Malformed.class);
        byte[] bare = ascii("\nGET / HTTP/1.1\r\n\r\n");
        assertThat(HttpHead.parse(bare, 0, bare.length, 4096)).isInstanceOf(WsStep.Malformed.class);
        byte[] q = ascii(REQUEST);
        assertThat(HttpHead.parse(q, 0, q.length, 64)).isInstanceOf(WsStep.Malformed.class)
                .extracting(m -> ((WsStep.Malformed<HttpHead>) m).reason()).isEqualTo(WsReason.HANDSHAKE_TOO_LARGE);
        assertThat(HttpHead.parse(q, 0, 40, 4096)).isEqualTo(new WsStep.NeedMore<>(1));
    }

    @Test
    void upgrade_with_mqtt_opens_and_frames_follow() {
        Sink s = new Sink();
        WsConnection c = open(s, false);
        assertThat(c.state()).isEqualTo(WsConnection.State.OPEN);
        assertThat(s.upgraded).isEqualTo("mqtt");
        assertThat(s.upgradedFrame).isEqualTo(2);
        byte[] f = WsFrameDecoderTest.frame(true, 2, ascii("MQTT"), KEY, 7);
        c.feed(true, f, 0, f.length, 3, 0);
        byte[] g = WsFrameDecoderTest.frame(true, 2, ascii("back"), null, 7);
        c.feed(false, g, 0, g.length, 4, 0);
        assertThat(s.client.toString(StandardCharsets.US_ASCII)).isEqualTo("MQTT");
        assertThat(s.server.toString(StandardCharsets.US_ASCII)).isEqualTo("back");
        assertThat(s.reasons).isEmpty();
    }

    @Test
    void heads_split_at_every_byte_and_bytes_after_them() {
        byte[] cf = WsFrameDecoderTest.frame(true, 2, ascii("client"), KEY, 7);
        byte[] sf = WsFrameDecoderTest.frame(true, 2, ascii("server"), null, 7);
        byte[] q = concat(ascii(REQUEST), cf);
        byte[] r = concat(ascii(RESPONSE), sf);
        for (int cut = 0; cut <= Math.max(q.length, r.length); cut++) {
            Sink s = new Sink();
            WsConnection c = new WsConnection(s, Limits.WebSocket.DEFAULTS, false);
            int qc = Math.min(cut, q.length);
            int rc = Math.min(cut, r.length);
            c.feed(true, q, 0, qc, 1, 0);
            c.feed(true, q, qc, q.length - qc, 2, 0);
            c.feed(false, r, 0, rc, 3, 0);
            c.feed(false, r, rc, r.length - rc, 4, 0);
            assertThat(c.state()).as("cut %d", cut).isEqualTo(WsConnection.State.OPEN);
            assertThat(s.client.toString(StandardCharsets.US_ASCII)).as("cut %d", cut).isEqualTo("client");
            assertThat(s.server.toString(StandardCharsets.US_ASCII)).as("cut %d", cut).isEqualTo("server");
            // client bytes held until the 101 keep the frames that carried them
            List<Long> expected = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                expected.add(REQUEST.length() + 6 + k < cut ? 1L : 2L);
            }
            assertThat(s.clientFrames).as("cut %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void not_mqtt_when_no_mqtt_offered_or_another_chosen_or_refused() {
        assertThat(run(REQUEST.replace("Protocol: mqtt", "Protocol: chat"), RESPONSE, false))
                .isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        assertThat(run(REQUEST.replace("Protocol: mqtt", "Protocol: chat, mqttv3.1"), RESPONSE.replace("mqtt\r", "mqttv3.1\r"), false))
                .isEqualTo(WsConnection.State.OPEN);
        assertThat(run(REQUEST, RESPONSE.replace("Protocol: mqtt", "Protocol: chat"), false))
                .isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        assertThat(run(REQUEST, RESPONSE.replace("Sec-WebSocket-Protocol: mqtt\r\n", ""), false))
                .isEqualTo(WsConnection.State.OPEN);
        assertThat(run(REQUEST, "HTTP/1.1 400 Bad Request\r\n\r\n", false)).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        assertThat(run(REQUEST.replace("Upgrade: websocket", "Upgrade: h2c"), RESPONSE, false))
                .isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        assertThat(run(REQUEST.replace("GET", "POST"), RESPONSE, false)).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        assertThat(run("\u0010\u000c\u0000\u0004MQTT", RESPONSE, false)).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
    }

    @Test
    void any_subprotocol_on_a_user_bound_port() {
        String chat = REQUEST.replace("Protocol: mqtt", "Protocol: chat");
        assertThat(run(chat, RESPONSE.replace("Protocol: mqtt", "Protocol: chat"), true)).isEqualTo(WsConnection.State.OPEN);
        assertThat(run(chat, "HTTP/1.1 403 Forbidden\r\n\r\n", true)).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
    }

    @Test
    void server_first_or_gap_in_handshake_is_not_websocket() {
        Sink s = new Sink();
        WsConnection c = new WsConnection(s, Limits.WebSocket.DEFAULTS, false);
        byte[] r = ascii(RESPONSE);
        c.feed(false, r, 0, r.length, 1, 0);
        assertThat(c.state()).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
        WsConnection g = new WsConnection(s, Limits.WebSocket.DEFAULTS, false);
        byte[] q = ascii(REQUEST);
        g.feed(true, q, 0, 10, 1, 0);
        g.gap(true, 5, 2);
        assertThat(g.state()).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
    }

    @Test
    void head_over_limit_is_not_websocket() {
        Sink s = new Sink();
        WsConnection c = new WsConnection(s, new Limits.WebSocket(64, 1000), false);
        byte[] q = ascii(REQUEST);
        c.feed(true, q, 0, q.length, 1, 0);
        assertThat(c.state()).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
    }

    @Test
    void client_bytes_held_before_the_answer_are_bounded() {
        Sink s = new Sink();
        WsConnection c = new WsConnection(s, new Limits.WebSocket(200, 1000), false);
        byte[] q = ascii(REQUEST);
        c.feed(true, q, 0, q.length, 1, 0);
        byte[] more = new byte[150];
        c.feed(true, more, 0, more.length, 2, 0);
        c.feed(true, more, 0, more.length, 3, 0);
        assertThat(s.reasons).containsExactly(WsReason.HANDSHAKE_TOO_LARGE);
        assertThat(c.state()).isEqualTo(WsConnection.State.NOT_WEBSOCKET);
    }

    @Test
    void held_client_frames_keep_their_stream_offsets() {
        // found by WebSocketFuzzTest (crash-e7efade0...): frames held until the 101 were offset twice their length
        Sink s = new Sink();
        WsConnection c = new WsConnection(s, Limits.WebSocket.DEFAULTS, false);
        byte[] q = concat(ascii(REQUEST), WsFrameDecoderTest.frame(true, 2, ascii("abc"), KEY, 7));
        byte[] bad = {(byte) 0x83, (byte) 0x80, 0, 0, 0, 0};
        byte[] r = ascii(RESPONSE);
        c.feed(true, q, 0, q.length, 1, 0);
        c.feed(true, bad, 0, bad.length, 2, 0);
        c.feed(false, r, 0, r.length, 3, 0);
        assertThat(s.reasons).containsExactly(WsReason.RESERVED_OPCODE);
        assertThat(s.offsets).containsExactly((long) q.length);
    }

    @Test
    void frame_problems_after_the_upgrade_are_reported_with_their_direction() {
        Sink s = new Sink();
        WsConnection c = open(s, false);
        byte[] bad = {(byte) 0x83, 0};
        c.feed(false, bad, 0, 2, 3, 0);
        c.close();
        assertThat(s.reasons).containsExactly(WsReason.RESERVED_OPCODE);
        assertThat(c.decoder(false).stopped()).isTrue();
        assertThat(c.decoder(true).stopped()).isFalse();
    }

    private static WsConnection.State run(String request, String response, boolean any) {
        Sink s = new Sink();
        WsConnection c = new WsConnection(s, Limits.WebSocket.DEFAULTS, any);
        byte[] q = ascii(request);
        byte[] r = ascii(response);
        c.feed(true, q, 0, q.length, 1, 0);
        c.feed(false, r, 0, r.length, 2, 0);
        return c.state();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }
}
