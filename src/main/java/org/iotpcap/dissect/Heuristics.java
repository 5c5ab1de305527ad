package org.iotpcap.dissect;

/**
 * Protocol recognition on ports that no binding names. Both are on by default.
 *
 * @param mqtt MQTT on any TCP port: the client's stream starts with a valid CONNECT (protocol name "MQTT"
 *     level 4 or 5, or "MQIsdp" level 3, reserved flag clear, lengths consistent), or starts with an HTTP GET that upgrades to a WebSocket with the mqtt
 *     subprotocol (see {@code dissect.websocket.WsConnection})
 * @param coap CoAP on any UDP port: the whole datagram is a strictly valid CoAP message (version 1, token
 *     length at most 8, a known code class, well-formed options, a non-empty payload after a marker)
 */
public record Heuristics(boolean mqtt, boolean coap) {
    public static final Heuristics DEFAULTS = new Heuristics(true, true);
    public static final Heuristics NONE = new Heuristics(false, false);
}
