package org.iotpcap.semantic;

import java.util.HashMap;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.semantic.tables.MqttConnections;
import org.iotpcap.semantic.tables.MqttDeliveries;
import org.iotpcap.semantic.tables.MqttMessages;
import org.iotpcap.semantic.tables.MqttSubscriptions;
import org.iotpcap.semantic.tables.MqttWills;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * The MQTT model (docs/tables.md): follows each connection and hands each concern to its own class: the message
 * rows ({@link MqttMessageRows}), subscriptions and their SUBACKs ({@link MqttSubscriptionState}), wills
 * ({@link MqttWillTracker}), clients ({@link MqttClientRegistry}) and QoS flows ({@link MqttQosFlows}). Here: the
 * connection rows and the deliveries.
 *
 * <p>A delivery is a PUBLISH from the broker to a client; it lists the subscriptions of that connection, made
 * before it and not refused by SUBACK, whose filters match its topic level by level, and the fired will it is, if
 * any. A connection's state is released when the connection ends.
 */
final class MqttModel {
    private final Limits.Semantic limits;
    private final Map<Long, MqttConn> connections = new HashMap<>();
    private final MqttMessageRows messages;
    private final RowWriter subscriptionRows;
    private final RowWriter connectionRows;
    private final RowWriter deliveryRows;
    private final MqttWillTracker wills;
    private final MqttClientRegistry clients;
    private final MqttQosFlows qosFlows;

    MqttModel(TableSink sink, boolean keepSecrets, Limits.Semantic limits, Diagnostics diagnostics) {
        this.limits = limits;
        this.messages = new MqttMessageRows(sink.writer(MqttMessages.T),
                sink.writer(org.iotpcap.semantic.tables.MqttProperties.T), keepSecrets);
        this.subscriptionRows = sink.writer(MqttSubscriptions.T);
        this.connectionRows = sink.writer(MqttConnections.T);
        this.deliveryRows = sink.writer(MqttDeliveries.T);
        this.wills = new MqttWillTracker(sink.writer(MqttWills.T), limits.mqttMaxFiredWills(), diagnostics);
        this.clients = new MqttClientRegistry(sink.writer(org.iotpcap.semantic.tables.MqttClients.T),
                limits.mqttMaxClients(), diagnostics);
        this.qosFlows = new MqttQosFlows(sink);
    }

    void message(MessageContext c, TcpConnection tcp, MqttFramed f) {
        MqttConn conn = connections.computeIfAbsent(tcp.index(),
                k -> new MqttConn(tcp, c.transport(), subscriptionRows, limits.mqttMaxSubscriptionsPerConnection()));
        conn.messages++;
        if (f.levelInferred()) {
            conn.inferredLevel = f.protocolLevel();
        }
        messages.write(c, tcp, f);
        qosFlows.message(tcp, conn.clientKey(), f);
        boolean fromClient = f.fromClient();
        switch (f.message()) {
            case MqttMessage.Connect m when fromClient && conn.connect == null -> {
                conn.connect(m, f.endFrame());
                if (conn.will() != null) {
                    wills.arm(conn);
                }
            }
            case MqttMessage.Connack m when !fromClient && conn.connackFrame == null -> {
                conn.connackFrame = f.endFrame();
                conn.connackCode = m.code();
            }
            case MqttMessage.Disconnect m when fromClient && conn.disconnectFrame == 0 -> {
                conn.disconnectFrame = f.endFrame();
                conn.disconnectReason = m.reasonCode();
            }
            case MqttMessage.Subscribe m when fromClient ->
                    conn.subscriptions.subscribe(m, f.startFrame(), f.endFrame(), f.endNanos());
            case MqttMessage.Suback m when !fromClient -> conn.subscriptions.suback(m, f.endFrame());
            case MqttMessage.Unsubscribe m when fromClient -> conn.subscriptions.unsubscribe(m, f.endFrame());
            case MqttMessage.Publish m when !fromClient -> delivery(conn, f, m);
            default -> { }
        }
    }

    private void delivery(MqttConn conn, MqttFramed f, MqttMessage.Publish m) {
        String topic = m.resolvedTopic() != null ? m.resolvedTopic() : m.topic();
        MqttSubscriptionState.Match match = conn.subscriptions.matching(topic, f.startFrame());
        MqttConn will = wills.match(conn.broker(), topic, m.payload(), f.startFrame());
        if (will != null) {
            will.willDeliveries++;
        }
        MqttDeliveries t = MqttDeliveries.T;
        RowWriter w = deliveryRows.begin().set(t.stream, conn.tcp.index()).set(t.frame, f.startFrame())
                .set(t.endFrame, f.endFrame()).set(t.timeNs, f.startNanos()).set(t.clientKey, conn.clientKey())
                .set(t.broker, conn.broker().address().toString()).set(t.brokerPort, conn.broker().port())
                .set(t.topic, topic).set(t.qos, m.qos()).set(t.retain, m.retain()).set(t.dup, m.dup())
                .set(t.payloadLength, m.payload() == null ? 0 : m.payload().length()).set(t.payloadText, m.payloadText())
                .set(t.matchingFilters, match.filters().isEmpty() ? null : String.join(" ", match.filters()))
                .set(t.matches, match.filters().size()).set(t.exactMatch, match.exact())
                .set(t.wildcardMatch, match.wildcard()).set(t.isWill, will != null);
        if (m.qos() > 0) {
            w.set(t.packetId, m.packetId());
        }
        if (will != null) {
            w.set(t.willStream, will.tcp.index()).set(t.willClientKey, will.clientKey());
        }
        w.end();
    }

    /** The connection ended: write it and its subscriptions, settle its will, count its client, release it. */
    void end(TcpConnection tcp) {
        MqttConn conn = connections.remove(tcp.index());
        if (conn == null) {
            return;
        }
        wills.fireEnded(conn.broker(), Long.MAX_VALUE);
        qosFlows.end(tcp);
        conn.subscriptions.end(tcp.lastFrame());
        String endedBy = endedBy(conn, tcp);
        writeConnection(conn, tcp, endedBy);
        if (conn.will() != null) {
            wills.ended(conn, endedBy);
        }
        clients.ended(conn);
    }

    private static String endedBy(MqttConn conn, TcpConnection tcp) {
        if (conn.disconnectFrame != 0) {
            return "disconnect";
        }
        return switch (tcp.closeReason()) {
            case RST -> "rst";
            case FIN, HALF_CLOSED -> "tcp_close";
            case CAPTURE_END -> tcp.endingFrame() != 0 ? "tcp_close" : "capture_end";
            case REUSED -> "port_reused";
            case EVICTED -> "evicted";
            case OPEN -> "open";
        };
    }

    private void writeConnection(MqttConn conn, TcpConnection tcp, String endedBy) {
        MqttConnections t = MqttConnections.T;
        RowWriter w = connectionRows.begin().set(t.stream, tcp.index())
                .set(t.client, tcp.client().address().toString()).set(t.clientPort, tcp.client().port())
                .set(t.broker, conn.broker().address().toString()).set(t.brokerPort, conn.broker().port())
                .set(t.transport, conn.transport)
                .set(t.clientKey, conn.clientKey()).set(t.connackFrame, conn.connackFrame)
                .set(t.connackCode, conn.connackCode).set(t.startFrame, tcp.firstFrame()).set(t.endFrame, tcp.lastFrame())
                .set(t.startNs, tcp.firstNanos()).set(t.endNs, tcp.lastNanos()).set(t.endedBy, endedBy)
                .set(t.messages, conn.messages);
        MqttMessage.Connect ct = conn.connect;
        if (ct != null) {
            w.set(t.clientId, ct.clientId()).set(t.protocolLevel, ct.protocolLevel()).set(t.protocolName, ct.protocolName())
                    .set(t.cleanSession, ct.cleanSession()).set(t.keepAlive, ct.keepAliveSeconds())
                    .set(t.willFlag, ct.willFlag()).set(t.username, ct.username())
                    .set(t.passwordPresent, ct.passwordPresent()).set(t.connectFrame, conn.connectFrame)
                    .set(t.levelInferred, false);
            MqttMessage.Will will = ct.will();
            if (will != null) {
                w.set(t.willQos, will.qos()).set(t.willRetain, will.retain()).set(t.willTopic, will.topic())
                        .set(t.willPayload, will.payload()).set(t.willPayloadText, will.payloadText());
            }
        }
        if (ct == null && conn.inferredLevel != 0) {
            w.set(t.protocolLevel, conn.inferredLevel).set(t.levelInferred, true);
        }
        if (conn.disconnectFrame != 0) {
            w.set(t.disconnectFrame, conn.disconnectFrame);
        }
        w.end();
    }

    void finish() {
        wills.finish();
        clients.finish();
    }
}
