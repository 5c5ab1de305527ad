package org.iotpcap.dissect;

import java.util.Locale;

/**
 * Application protocols iotpcap knows. TLS and DTLS are recognised by port, described in {@code tls_connections}
 * and decrypted when their secrets are given (MQTT inside TLS, CoAP inside DTLS).
 */
public enum Protocol {
    DNS(true), COAP(true), MQTT(true), MQTTSN(true), DTLS(false), TLS(false);

    private final boolean decoded;

    Protocol(boolean decoded) {
        this.decoded = decoded;
    }

    public boolean decoded() {
        return decoded;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Protocol parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace("-", "");
        for (Protocol p : values()) {
            if (p.label().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "' (known: dns, coap, mqtt, mqttsn)");
    }
}
