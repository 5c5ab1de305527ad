package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.Captures;
import org.iotpcap.engine.Engine;
import org.iotpcap.testing.Tshark;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket layer against tshark 4.0, which decodes WebSocket frames (not the MQTT inside them): on
 * {@code fixtures/websocket/mqtt-ws.pcapng}, for every TCP connection and direction, the bytes our
 * {@link WsConnection} unwraps (unmasked, fragments joined, control frames left out) must equal tshark's
 * {@code data.data} of every data frame (tshark shows a fragmented message, reassembled, in its last frame) in
 * frame order. Live tshark only: skipped (and counted by the skip report) without it.
 */
class WsTsharkConformanceTest {

    @Test
    void unwrapped_bytes_equal_tshark_s_websocket_payloads() throws Exception {
        Tshark.assumeAvailable();
        Map<String, ByteArrayOutputStream> ours = new TreeMap<>();
        try (CaptureReader reader = Captures.open(MqttOverWebSocketFixtureTest.CAPTURE.toString())) {
            Engine.builder().onTcp(new TcpStreamListener() {
                @Override
                public void onOpen(TcpConnection c) {
                    c.attachment = new WsConnection(new WsConnection.Sink() {
                        @Override
                        public void upgraded(String subprotocol, long frame) {}

                        @Override
                        public void payload(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                            ours.computeIfAbsent(c.index() + (fromClient ? " c2s" : " s2c"),
                                    k -> new ByteArrayOutputStream()).write(b, off, len);
                        }

                        @Override
                        public void problem(boolean fromClient, WsReason reason, long frame, long offset, String d) {}
                    }, Limits.WebSocket.DEFAULTS, false);
                }

                @Override
                public void onData(TcpConnection c, boolean fromClient, byte[] data, int offset, int length, long frame,
                                   long nanos) {
                    ((WsConnection) c.attachment).feed(fromClient, data, offset, length, frame, nanos);
                }
            }).build().run(reader);
        }
        List<Map<String, String>> rows = Tshark.fields(MqttOverWebSocketFixtureTest.CAPTURE,
                List.of("-Y", "websocket && data.data"), "tcp.stream", "tcp.dstport", "data.data");
        Map<String, ByteArrayOutputStream> theirs = new TreeMap<>();
        for (Map<String, String> r : rows) {
            int dst = Integer.parseInt(r.get("tcp.dstport"));
            String key = r.get("tcp.stream") + (dst == 9001 || dst == 8080 ? " c2s" : " s2c");
            for (String hex : r.get("data.data").split(",")) {
                theirs.computeIfAbsent(key, k -> new ByteArrayOutputStream()).writeBytes(HexFormat.of().parseHex(hex));
            }
        }
        assertThat(theirs).hasSize(6);
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        for (String k : theirs.keySet()) {
            assertThat(HexFormat.of().formatHex(ours.get(k).toByteArray())).as(k)
                    .isEqualTo(HexFormat.of().formatHex(theirs.get(k).toByteArray()));
        }
    }
}
