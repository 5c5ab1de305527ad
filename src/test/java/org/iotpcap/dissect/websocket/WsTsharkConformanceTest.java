package org.iotpcap.dissect.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
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
                    c.attachment = WsPayloads.collecting(ours, c);
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
        Map<String, ByteArrayOutputStream> theirs = WsPayloads.fromTshark(rows, dst -> dst == 9001 || dst == 8080);
        assertThat(theirs).hasSize(6);
        WsPayloads.assertSame(ours, theirs);
    }
}
