package org.iotpcap.bytes;

/** Where in the stack a record was found malformed or undecodable. Stable names: they appear in tables. */
public enum Layer {
    CAPTURE, LINK, IPV4, IPV6, IP_FRAGMENT, UDP, TCP, DNS, COAP, MQTT, MQTTSN, TLS,
    /** The WebSocket layer (RFC 6455) under MQTT: handshake and frames. */
    WEBSOCKET,
    /** The semantic model: a cap on state held across messages was reached. */
    SEMANTIC;

    public String label() {
        return EnumLabels.lower(this);
    }
}
