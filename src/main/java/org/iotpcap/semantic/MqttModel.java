package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
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
 * rows ({@link MqttMessageRows}), the brokers' sessions across connections ({@link MqttSessions}) and their
 * subscriptions ({@link MqttSubscriptionState}), retained messages ({@link MqttRetainedStore}), the clients'
 * PUBLISHes deliveries forward ({@link MqttPublishes}), wills ({@link MqttWillTracker}), clients
 * ({@link MqttClientRegistry}) and QoS flows ({@link MqttQosFlows}). Here: the connection rows and the deliveries.
 *
 * <p>A delivery is a PUBLISH from the broker to a client. It lists the subscriptions of the receiving session
 * (made on this connection or, for a persistent session, on an earlier one), made before it and not refused by
 * SUBACK, whose filters match its topic level by level, and names the one behind it; the client PUBLISH it
 * forwards; whether it is a retained message sent to a new subscription, a message queued for the session while
 * its client was away, or live; and the fired will it is, if any. A connection's state is released when the
 * connection ends, a session's when it ends (MqttSessions).
 */
final class MqttModel {
    /** By the connection itself (identity: one object per TCP connection), so that no index is boxed per message. */
    private final Map<TcpConnection, MqttConn> connections = new IdentityHashMap<>();
    private final MqttMessageRows messages;
    private final RowWriter connectionRows;
    private final RowWriter deliveryRows;
    private final MqttWillTracker wills;
    private final MqttClientRegistry clients;
    private final MqttQosFlows qosFlows;
    private final MqttSessions sessions;
    private final MqttRetainedStore retained;
    private final MqttPublishes publishes;
    private long lastNanos;

    MqttModel(TableSink sink, boolean keepSecrets, Limits.Semantic limits, Diagnostics diagnostics) {
        this.messages = new MqttMessageRows(sink.writer(MqttMessages.T),
                sink.writer(org.iotpcap.semantic.tables.MqttProperties.T), keepSecrets);
        RowWriter subscriptionRows = sink.writer(MqttSubscriptions.T);
        this.connectionRows = sink.writer(MqttConnections.T);
        this.deliveryRows = sink.writer(MqttDeliveries.T);
        this.retained = new MqttRetainedStore(sink.writer(org.iotpcap.semantic.tables.MqttRetained.T),
                limits.mqttMaxRetained(), diagnostics);
        this.wills = new MqttWillTracker(sink.writer(MqttWills.T), limits.mqttMaxFiredWills(), diagnostics,
                retained::will);
        this.clients = new MqttClientRegistry(sink.writer(org.iotpcap.semantic.tables.MqttClients.T),
                limits.mqttMaxClients(), diagnostics);
        this.qosFlows = new MqttQosFlows(sink);
        this.sessions = new MqttSessions(sink.writer(org.iotpcap.semantic.tables.MqttSessions.T), subscriptionRows,
                limits.mqttMaxSubscriptionsPerConnection(), limits.mqttMaxSessions(), diagnostics);
        this.publishes = new MqttPublishes(limits.mqttMaxHeldPublishes(), diagnostics);
    }

    void message(MessageContext c, TcpConnection tcp, MqttFramed f) {
        MqttConn conn = connections.computeIfAbsent(tcp, k -> new MqttConn(tcp, c.transport()));
        conn.messages++;
        lastNanos = Math.max(lastNanos, f.endNanos());
        sessions.sweep(f.endNanos(), f.startFrame());
        if (f.levelInferred()) {
            conn.inferredLevel = f.protocolLevel();
        }
        messages.write(c, tcp, f);
        qosFlows.message(tcp, conn.clientKey(), f);
        boolean fromClient = f.fromClient();
        switch (f.message()) {
            case MqttMessage.Connect m when fromClient && conn.connect == null -> {
                conn.connect(m, f.endFrame(), f.endNanos());
                sessions.connect(conn, m, f.endFrame(), f.endNanos());
                if (conn.will() != null) {
                    wills.arm(conn);
                }
            }
            case MqttMessage.Connack m when !fromClient && conn.connackFrame == null -> {
                conn.connackFrame = f.endFrame();
                conn.connackCode = m.code();
                sessions.connack(conn, m, f.endFrame());
            }
            case MqttMessage.Disconnect m when fromClient && conn.disconnectFrame == 0 -> {
                conn.disconnectFrame = f.endFrame();
                conn.disconnectReason = m.reasonCode();
                sessions.disconnect(conn, m);
            }
            case MqttMessage.Subscribe m when fromClient -> {
                MqttSession s = sessions.of(conn, f.endFrame(), f.endNanos());
                if (s != null) {
                    s.subscriptions.subscribe(tcp.index(), m, f.startFrame(), f.endFrame(), f.endNanos());
                }
            }
            case MqttMessage.Suback m when !fromClient && conn.session != null ->
                    conn.session.subscriptions.suback(m, f.endFrame());
            case MqttMessage.Unsubscribe m when fromClient && conn.session != null ->
                    conn.session.subscriptions.unsubscribe(m, f.endFrame());
            case MqttMessage.Publish m when fromClient -> clientPublish(conn, f, m);
            case MqttMessage.Publish m -> delivery(conn, f, m);
            default -> { }
        }
    }

    /** A client's PUBLISH: remembered for the deliveries that forward it, and stored when it is retained. */
    private void clientPublish(MqttConn conn, MqttFramed f, MqttMessage.Publish m) {
        String topic = m.topicName();
        publishes.publish(conn.broker(), topic, conn.tcp.index(), f.startFrame(), f.streamOffset(), conn.clientKey(),
                m.payload());
        if (m.retain()) {
            wills.fireEnded(conn.broker(), f.startFrame()); // a retained will that fired before is stored first
            retained.publish(conn.broker(), topic, m, conn.tcp.index(), f.startFrame(), f.streamOffset(), f.startNanos(),
                    conn.clientKey());
        }
    }

    private void delivery(MqttConn conn, MqttFramed f, MqttMessage.Publish m) {
        String topic = m.topicName();
        MqttSession session = sessions.of(conn, f.startFrame(), f.startNanos());
        List<Long> ids = subscriptionIdentifiers(m.properties());
        MqttPublishes.Pub source = publishes.source(conn.broker(), topic, m.payload(), f.startFrame());
        boolean own = source != null && source.clientKey().equals(conn.clientKey());
        MqttSubscriptionState.Match match = session == null ? MqttSubscriptionState.Match.NONE
                : session.subscriptions.matching(topic, f.startFrame(), own);
        MqttSubscriptionState.Sub behind = match.behind(ids);
        // 3.3.1.3: RETAIN is set on a stored message sent to a new subscription, and (5.0 3.8.3.1) on a live one
        // only through a Retain As Published subscription made before that message was published
        boolean liveAsPublished = behind != null && behind.s.retainAsPublished() && source != null
                && source.frame() > behind.frame;
        String kind;
        MqttRetainedStore.Entry stored = null;
        if (m.retain() && !liveAsPublished) {
            kind = "retained";
            stored = retained.delivered(conn.broker(), topic, m, conn.tcp.index(), f.startFrame(), f.startNanos());
        } else if (conn.resumed && source != null && source.frame() < conn.connectFrame) {
            kind = "queued";
        } else {
            kind = "live";
        }
        if (session != null) {
            session.deliveries++;
            session.queued += kind.equals("queued") ? 1 : 0;
        }
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
                .set(t.kind, kind)
                .set(t.matchingFilters, match.subs().isEmpty() ? null : String.join(" ", match.filters()))
                .set(t.matches, match.subs().size()).set(t.exactMatch, match.exact())
                .set(t.wildcardMatch, match.wildcard()).set(t.isWill, will != null);
        if (session != null) {
            w.set(t.session, session.id);
        }
        if (behind != null) {
            w.set(t.subscription, behind.id).set(t.shareGroup, behind.group);
        }
        if (!ids.isEmpty()) {
            w.set(t.subscriptionIdentifiers, ids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
        }
        if (stored != null) {
            w.set(t.retained, stored.id);
            if (stored.knownFrom.equals("publish")) {
                w.set(t.sourceStream, stored.stream).set(t.sourceFrame, stored.frame).set(t.sourceOffset, stored.offset)
                        .set(t.sourceClientKey, stored.clientKey);
            }
        } else if (source != null) {
            w.set(t.sourceStream, source.stream()).set(t.sourceFrame, source.frame()).set(t.sourceOffset, source.offset())
                    .set(t.sourceClientKey, source.clientKey());
        }
        if (m.qos() > 0) {
            w.set(t.packetId, m.packetId());
        }
        if (will != null) {
            w.set(t.willStream, will.tcp.index()).set(t.willClientKey, will.clientKey());
        }
        w.end();
    }

    /** The Subscription Identifiers of a delivered PUBLISH (5.0 3.3.2.3.8: one per subscription it is sent for). */
    private static List<Long> subscriptionIdentifiers(MqttProperties props) {
        if (props == null || props.isEmpty()) {
            return List.of();
        }
        List<Long> ids = new ArrayList<>();
        for (MqttProperty p : props.list()) {
            if (p.id() == Mqtt5PropertyId.SUBSCRIPTION_IDENTIFIER.id) {
                ids.add(p.number());
            }
        }
        return ids;
    }

    /** The connection ended: write it and its subscriptions, settle its will, count its client, release it. */
    void end(TcpConnection tcp) {
        MqttConn conn = connections.remove(tcp);
        if (conn == null) {
            return;
        }
        wills.fireEnded(conn.broker(), Long.MAX_VALUE);
        qosFlows.end(tcp);
        sessions.ended(conn, tcp.lastFrame(), tcp.lastNanos());
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
        sessions.finish();
        retained.finish(lastNanos);
        wills.finish();
        clients.finish();
    }
}
