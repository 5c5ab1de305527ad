package org.iotpcap.dissect;

import java.util.Locale;

/**
 * Application protocols iotpcap knows. TLS and DTLS are recognised by port, described in {@code tls_connections}
 * and decrypted when their secrets are given (MQTT inside TLS, CoAP inside DTLS).
 * {@link #MQTT_WS} ({@code mqtt-ws}) names a port where MQTT runs over WebSockets: a connection there is MQTT
 * once its HTTP Upgrade succeeds (see {@code dissect.websocket.WsConnection}), and is then recorded as MQTT.
 * {@link #MQTT_WSS} ({@code mqtt-wss}) names a port where MQTT over WebSockets runs inside TLS: the connection is
 * read as TLS, and its decrypted bytes go to the WebSocket layer.
 */
public enum Protocol {
    DNS(true), COAP(true), MQTT(true), MQTTSN(true), DTLS(false), TLS(false), MQTT_WS(true), MQTT_WSS(false);

    private final boolean decoded;
    private final String label;

    Protocol(boolean decoded) {
        this.decoded = decoded;
        this.label = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean decoded() {
        return decoded;
    }

    public String label() {
        return label;
    }

    public static Protocol parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("-", "");
        for (Protocol p : values()) {
            if (p.label().replace("-", "").equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "' (known: dns, coap, mqtt, mqttsn, mqtt-ws, mqtt-wss, tls, dtls)");
    }
}
