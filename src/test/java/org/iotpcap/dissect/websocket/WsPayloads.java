package org.iotpcap.dissect.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import org.iotpcap.bytes.Limits;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * WebSocket message payloads per direction of each connection ("STREAM c2s" / "STREAM s2c"), as the WebSocket layer
 * unwraps them and as tshark's {@code data.data} shows them, for the tests that compare the two.
 */
final class WsPayloads {
    private WsPayloads() {}

    /** A WebSocket layer for connection {@code c} whose unwrapped payloads are appended to {@code into}. */
    static WsConnection collecting(Map<String, ByteArrayOutputStream> into, TcpConnection c) {
        return new WsConnection(new WsConnection.Sink() {
            @Override
            public void upgraded(String subprotocol, long frame) {}

            @Override
            public void payload(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                into.computeIfAbsent(c.index() + (fromClient ? " c2s" : " s2c"), k -> new ByteArrayOutputStream())
                        .write(b, off, len);
            }

            @Override
            public void problem(boolean fromClient, WsReason reason, long frame, long offset, String d) {}
        }, Limits.WebSocket.DEFAULTS, false);
    }

    /** tshark's rows of tcp.stream, tcp.dstport and data.data, keyed the same way. */
    static Map<String, ByteArrayOutputStream> fromTshark(List<Map<String, String>> rows, IntPredicate serverPort) {
        Map<String, ByteArrayOutputStream> theirs = new TreeMap<>();
        for (Map<String, String> r : rows) {
            int dst = Integer.parseInt(r.get("tcp.dstport"));
            String key = r.get("tcp.stream") + (serverPort.test(dst) ? " c2s" : " s2c");
            for (String hex : r.get("data.data").split(",")) {
                theirs.computeIfAbsent(key, k -> new ByteArrayOutputStream()).writeBytes(HexFormat.of().parseHex(hex));
            }
        }
        return theirs;
    }

    /** The same directions, each with the same bytes. */
    static void assertSame(Map<String, ByteArrayOutputStream> ours, Map<String, ByteArrayOutputStream> theirs) {
        assertThat(ours.keySet()).isEqualTo(theirs.keySet());
        for (String k : theirs.keySet()) {
            assertThat(HexFormat.of().formatHex(ours.get(k).toByteArray())).as(k)
                    .isEqualTo(HexFormat.of().formatHex(theirs.get(k).toByteArray()));
        }
    }
}
