package org.iotpcap.dissect;

import java.util.ArrayList;
import java.util.List;

/**
 * Which protocol a UDP datagram or TCP connection carries, from its ports.
 *
 * <p>Defaults: DNS on UDP and TCP 53 and mDNS on UDP 5353; CoAP on UDP 5683 (5684 is DTLS, CoAP inside when
 * decrypted); MQTT on TCP 1883 (8883 is TLS, MQTT inside when decrypted); MQTT-SN on UDP 1885; MQTT over WebSockets
 * on TCP 80, 8080 and 8083 ({@link Protocol#MQTT_WS}: a connection there is MQTT once its HTTP Upgrade offers and
 * gets the {@code mqtt} subprotocol); the same inside TLS on TCP 443, 8081 (mosquitto's, test.mosquitto.org's),
 * 8084 (EMQX's) and 8884 (HiveMQ Cloud's) ({@link Protocol#MQTT_WSS}: read as TLS, the decrypted bytes by the
 * WebSocket layer). User bindings
 * ({@code --decode}) come first, on either port; then the defaults, lower port first, as tshark tries them.
 * Traffic on no known port can still be recognised by the heuristics (see {@link Heuristics}).
 */
public final class Bindings {
    private final Protocol[] udp = new Protocol[65536];
    private final Protocol[] tcp = new Protocol[65536];
    private final Protocol[] userUdp = new Protocol[65536];
    private final Protocol[] userTcp = new Protocol[65536];
    private final List<Binding> user = new ArrayList<>();
    private final Heuristics heuristics;

    public Bindings(List<Binding> userBindings, Heuristics heuristics) {
        this.heuristics = heuristics;
        udp[53] = Protocol.DNS;
        tcp[53] = Protocol.DNS;
        udp[5353] = Protocol.DNS;
        udp[5683] = Protocol.COAP;
        udp[5684] = Protocol.DTLS;
        tcp[1883] = Protocol.MQTT;
        tcp[8883] = Protocol.TLS;
        udp[1885] = Protocol.MQTTSN;
        tcp[80] = Protocol.MQTT_WS;
        tcp[8080] = Protocol.MQTT_WS;
        tcp[8083] = Protocol.MQTT_WS;
        tcp[443] = Protocol.MQTT_WSS;
        tcp[8081] = Protocol.MQTT_WSS;
        tcp[8084] = Protocol.MQTT_WSS;
        tcp[8884] = Protocol.MQTT_WSS;
        for (Binding b : userBindings) {
            (b.transport() == Binding.Transport.UDP ? userUdp : userTcp)[b.port()] = b.protocol();
            user.add(b);
        }
    }

    public static Bindings defaults() {
        return new Bindings(List.of(), Heuristics.DEFAULTS);
    }

    public List<Binding> user() {
        return List.copyOf(user);
    }

    public Heuristics heuristics() {
        return heuristics;
    }

    public Protocol udp(int srcPort, int dstPort) {
        return pick(userUdp, udp, srcPort, dstPort);
    }

    public Protocol tcp(int srcPort, int dstPort) {
        return pick(userTcp, tcp, srcPort, dstPort);
    }

    /** The user's binding for a TCP connection's ports, or null (the defaults not consulted). */
    public Protocol userTcp(int srcPort, int dstPort) {
        int lo = Math.min(srcPort, dstPort);
        return userTcp[lo] != null ? userTcp[lo] : userTcp[Math.max(srcPort, dstPort)];
    }

    private static Protocol pick(Protocol[] user, Protocol[] defaults, int a, int b) {
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        if (user[lo] != null) {
            return user[lo];
        }
        if (user[hi] != null) {
            return user[hi];
        }
        return defaults[lo] != null ? defaults[lo] : defaults[hi];
    }
}
