package org.iotpcap.semantic;

import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.transport.Endpoint;
import org.iotpcap.transport.tcp.TcpConnection;

/** What the MQTT model knows of one TCP connection that carries MQTT, while it is open. */
final class MqttConn {
    final TcpConnection tcp;
    /** {@code tcp}, {@code tls}, {@code ws} or {@code wss}: what carried the MQTT bytes ({@link org.iotpcap.dissect.MessageContext#transport()}). */
    final String transport;
    MqttMessage.Connect connect;
    long connectFrame;
    long connectNs;
    /** The session it holds (MqttSessions); null before its CONNECT, after a refusal or a takeover. */
    MqttSession session;
    /** Its CONNECT found its client's session waiting (Clean Session / Clean Start 0), before the CONNACK. */
    boolean resuming;
    /** Its CONNACK said Session Present. */
    boolean resumed;
    Long connackFrame;
    Integer connackCode;
    long disconnectFrame;
    int disconnectReason = -1;
    long messages;
    /** The level inferred from packets of a connection without CONNECT (0: none). */
    int inferredLevel;
    private String clientKey;
    // the will, once the connection ended (MqttWillTracker)
    boolean willFired;
    long willFiredFrame;
    String endedBy;
    long willDeliveries;

    MqttConn(TcpConnection tcp, String transport) {
        this.tcp = tcp;
        this.transport = transport;
    }

    Endpoint broker() {
        return tcp.server();
    }

    void connect(MqttMessage.Connect m, long frame, long ns) {
        connect = m;
        connectFrame = frame;
        connectNs = ns;
        clientKey = null;
    }

    /**
     * The client (SEED-QUESTIONS "MQTT client"): the CONNECT's client identifier, or the connection's client
     * endpoint ({@code ip:port}) where the CONNECT is not in the capture or the identifier is empty.
     */
    String clientKey() {
        if (clientKey == null) {
            String id = connect == null ? null : connect.clientId();
            clientKey = id != null && !id.isEmpty() ? id : tcp.client().toString();
        }
        return clientKey;
    }

    /** The non-empty client identifier, or null for a client that stands as its endpoint. */
    String clientId() {
        String id = connect == null ? null : connect.clientId();
        return id == null || id.isEmpty() ? null : id;
    }

    MqttMessage.Will will() {
        return connect == null ? null : connect.will();
    }

    /** The client ended the session normally (3.1.1 3.14; 5.0 3.14: DISCONNECT other than 0x04). */
    boolean normalDisconnect() {
        return disconnectFrame != 0 && disconnectReason != 0x04;
    }

    /**
     * The server refused the CONNECT (3.1.1 3.2.2.3 return code 1-5; 5.0 3.2.2.2 reason 0x80 or above): no session
     * was opened, so the server holds no will for it (3.1.4).
     */
    boolean refused() {
        return connackCode != null && connackCode != 0;
    }

    /** The frame where the will fires if it does: the DISCONNECT with 0x04, else where the TCP connection began to end (0: not yet). */
    long willFrame() {
        return disconnectReason == 0x04 ? disconnectFrame : tcp.endingFrame();
    }
}
