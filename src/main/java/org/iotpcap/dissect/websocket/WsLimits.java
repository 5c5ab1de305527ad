package org.iotpcap.dissect.websocket;

/**
 * Input limits of the WebSocket layer, with their defaults. A limit that is hit is reported as "X (n) exceeds
 * limit (m)" and stops that direction; none is silent.
 *
 * @param maxHandshakeBytes the longest HTTP request or response head buffered while the opening handshake is
 *     read, and the most client bytes held while the server's answer is awaited (default 16 KiB: mosquitto's
 *     libwebsockets reads heads into 1024 bytes unless {@code websockets_headers_size} says more, and web servers
 *     commonly refuse heads over 8 to 16 KiB). It bounds memory per connection still in its handshake, not in all.
 * @param maxMessageBytes the longest message, all its fragments together (default 16 MiB, the MQTT packet limit:
 *     MQTT over WebSockets needs no message longer than the packets it carries). Payload bytes are streamed on,
 *     never buffered, so this bounds no memory: it stops a direction whose length fields are absurd.
 */
public record WsLimits(int maxHandshakeBytes, long maxMessageBytes) {
    public static final WsLimits DEFAULTS = new WsLimits(16 * 1024, 16L * 1024 * 1024);

    public WsLimits {
        if (maxHandshakeBytes < 16 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("WebSocket limits out of range: " + this);
        }
    }
}
