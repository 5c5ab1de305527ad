package org.iotpcap.dissect;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A "decode as" rule, close to tshark's {@code -d}: {@code udp.port==5000:coap} (tshark's {@code ,} is also
 * accepted in place of {@code :}). Traffic to or from that port of that transport is decoded as the protocol.
 */
public record Binding(Transport transport, int port, Protocol protocol) {
    public enum Transport { UDP, TCP }

    private static final Pattern SYNTAX = Pattern.compile("(udp|tcp)\\.port\\s*==\\s*(\\d{1,5})\\s*[:,]\\s*([A-Za-z-]+)");

    public static Binding parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("bad --decode '" + text + "': expected e.g. udp.port==5000:coap or tcp.port==1884:mqtt or tcp.port==9001:mqtt-ws or tcp.port==9443:mqtt-wss");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad --decode '" + text + "': port " + port + " is not in 1..65535");
        }
        Transport t = m.group(1).equals("udp") ? Transport.UDP : Transport.TCP;
        Protocol p;
        try {
            p = Protocol.parse(m.group(3));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --decode '" + text + "': " + e.getMessage());
        }
        boolean fits = switch (p) {
            case MQTT, TLS, MQTT_WS, MQTT_WSS -> t == Transport.TCP;
            case COAP, MQTTSN, DTLS -> t == Transport.UDP;
            case DNS -> true;
        };
        if (!fits) {
            throw new IllegalArgumentException("bad --decode '" + text + "': " + p.label() + " does not run over "
                    + t.name().toLowerCase(Locale.ROOT));
        }
        return new Binding(t, port, p);
    }

    @Override
    public String toString() {
        return transport.name().toLowerCase(Locale.ROOT) + ".port==" + port + ":" + protocol.label();
    }
}
