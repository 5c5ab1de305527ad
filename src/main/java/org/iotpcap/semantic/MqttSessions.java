package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * The brokers' sessions, keyed by broker endpoint and client (SEED-QUESTIONS "MQTT client"): a CONNECT with Clean
 * Session / Clean Start 0 resumes the session its client left, if it has not expired (5.0 3.1.2.11.2: Session
 * Expiry Interval seconds after its connection ended); one with 1 ends it and opens a new one (MQTT 3.1.1
 * 3.1.2.4, 5.0 3.1.2.4). The broker's CONNACK has the last word: Session Present 0 to a resume means the broker
 * no longer held the session (mosquitto ends 3.1.1 sessions after {@code persistent_client_expiration}, which the
 * capture does not show), Session Present 1 to a client the capture has not seen before means the session began
 * before the capture; a refused CONNECT opens nothing (its connection's own session, ended with it, holds what its
 * client still subscribes to, {@code ended_by = 'refused'}). A session that is not persistent ends with its connection.
 * A connection whose CONNECT is not in the capture has a session of its own that ends with it.
 *
 * <p>Each session is written to {@code mqtt_sessions} when it ends. Held: the connected sessions, and the
 * persistent ones waiting for their client, at most {@code max}; beyond it the least recently used waiting one
 * ends with {@code ended_by = 'limit'} and a {@code semantic/mqtt_session_limit} diagnostic. A waiting 5.0
 * session is released when the capture's time passes its expiry.
 */
final class MqttSessions {
    private static final org.iotpcap.semantic.tables.MqttSessions T = org.iotpcap.semantic.tables.MqttSessions.T;
    private static final int SESSION_EXPIRY = Mqtt5PropertyId.SESSION_EXPIRY_INTERVAL.id;

    private record Expiry(long atNs, MqttSession session) {}

    private final RowWriter out;
    private final RowWriter subscriptionRows;
    private final int maxSubscriptions;
    private final int max;
    private final Diagnostics diagnostics;
    /** In access order: the least recently used first. */
    private final LinkedHashMap<BrokerKey, MqttSession> held = new LinkedHashMap<>(16, 0.75f, true);
    /** The waiting sessions with a finite expiry, soonest first; each session's entry is removed when it resumes or ends. */
    private final TreeSet<Expiry> expiring = new TreeSet<>(
            Comparator.comparingLong(Expiry::atNs).thenComparingLong(e -> e.session().id));
    private final Map<MqttSession, Expiry> waiting = new HashMap<>();
    private long nextSession;
    private long nextSubscription;

    MqttSessions(RowWriter out, RowWriter subscriptionRows, int maxSubscriptions, int max, Diagnostics diagnostics) {
        this.out = out;
        this.subscriptionRows = subscriptionRows;
        this.maxSubscriptions = maxSubscriptions;
        this.max = max;
        this.diagnostics = diagnostics;
    }

    /** The CONNECT of {@code conn}: resumes its client's session (Clean Session / Clean Start 0) or opens one. */
    void connect(MqttConn conn, MqttMessage.Connect m, long frame, long ns) {
        BrokerKey k = new BrokerKey(conn.broker(), conn.clientKey());
        MqttSession old = held.get(k);
        if (old != null && old.conn == null && old.expiresNs() <= ns) {
            end(old, frame, "expired");
            old = null;
        }
        if (old != null && m.cleanSession()) {
            end(old, frame, "clean_start");
            old = null;
        }
        MqttSession s = old;
        if (s != null) {
            conn.resuming = true;
            if (s.conn != null) {
                s.conn.session = null; // taken over (3.1.4-3 / 5.0 3.1.4-3): the broker closes the older connection
            }
        } else {
            s = open(conn, frame, ns);
        }
        unwait(s);
        attach(s, conn, m);
    }

    private MqttSession open(MqttConn conn, long frame, long ns) {
        if (held.size() >= max) {
            evictOne(frame);
        }
        MqttSession s = new MqttSession(nextSession++, conn, frame, ns, subscriptionRows, maxSubscriptions,
                () -> nextSubscription++);
        held.put(new BrokerKey(s.broker, s.clientKey), s);
        return s;
    }

    private void evictOne(long frame) {
        for (MqttSession s : held.values()) {
            if (s.conn == null) {
                diagnostics.report(frame, Layer.SEMANTIC, "mqtt_session_limit", "MQTT sessions held (" + (held.size() + 1)
                        + ") exceed limit (" + max + "): session " + s.id + " of " + s.clientKey
                        + " ends here (ended_by limit)");
                end(s, frame, "limit");
                return;
            }
        }
    }

    private static void attach(MqttSession s, MqttConn conn, MqttMessage.Connect m) {
        s.conn = conn;
        conn.session = s;
        s.connections++;
        s.lastStream = conn.tcp.index();
        s.protocolLevel = m.protocolLevel();
        s.clean = m.cleanSession();
        // 5.0 3.1.2.11.2: absent means 0, the session ends with the connection
        s.expirySeconds = m.protocolLevel() >= MqttVersion.V5 ? number(m.properties(), SESSION_EXPIRY, 0L) : null;
    }

    /** The session of a connection whose CONNECT is not in the capture: its own, ending with it. */
    MqttSession of(MqttConn conn, long frame, long ns) {
        if (conn.session == null && conn.connect == null) {
            MqttSession s = open(conn, frame, ns);
            s.conn = conn;
            s.clean = true;
            s.connections = 1;
            s.lastStream = conn.tcp.index();
            s.protocolLevel = conn.inferredLevel;
            conn.session = s;
        }
        return conn.session;
    }

    /** The broker's CONNACK: refused (nothing opened), Session Present, and its Session Expiry Interval (5.0 3.2.2.3.2). */
    void connack(MqttConn conn, MqttMessage.Connack m, long frame) {
        MqttSession s = conn.session;
        if (s == null) {
            return;
        }
        if (conn.refused()) {
            // 3.2.2.3 / 5.0 3.2.2.2: no session is opened, and a waiting one is not touched; the connection keeps a
            // session of its own for what its client still sends (a SUBSCRIBE is still a subscription it asked for)
            MqttSession own = s;
            if (conn.resuming) {
                s.conn = null;
                s.connections--;
                conn.resuming = false;
                own = new MqttSession(nextSession++, conn, conn.connectFrame, conn.connectNs, subscriptionRows,
                        maxSubscriptions, () -> nextSubscription++);
                attach(own, conn, conn.connect);
            }
            own.refused = true;
            return;
        }
        if (s.expirySeconds != null) {
            s.expirySeconds = number(m.properties(), SESSION_EXPIRY, s.expirySeconds);
        }
        if (m.sessionPresent()) {
            s.resumed++;
            conn.resumed = true;
            s.presentAtStart |= !conn.resuming;
        } else if (conn.resuming) {
            s.connections--;
            end(s, frame, "not_present");
            conn.resuming = false;
            MqttSession fresh = open(conn, conn.connectFrame, conn.connectNs);
            attach(fresh, conn, conn.connect);
            fresh.expirySeconds = s.expirySeconds;
        }
    }

    /** A client's DISCONNECT may set a new Session Expiry Interval (5.0 3.14.2.2.2). */
    void disconnect(MqttConn conn, MqttMessage.Disconnect m) {
        MqttSession s = conn.session;
        if (s != null && s.expirySeconds != null) {
            s.expirySeconds = number(m.properties(), SESSION_EXPIRY, s.expirySeconds);
        }
    }

    /** The connection ended: its session ends too unless it is persistent, in which case it waits for its client. */
    void ended(MqttConn conn, long lastFrame, long lastNs) {
        MqttSession s = conn.session;
        if (s == null || s.conn != conn) {
            return;
        }
        s.conn = null;
        s.offlineNs = lastNs;
        s.subscriptions.connectionEnded();
        if (s.refused) {
            end(s, lastFrame, "refused");
        } else if (!s.persistent()) {
            end(s, lastFrame, "connection_end");
        } else if (s.expiresNs() != Long.MAX_VALUE) {
            Expiry e = new Expiry(s.expiresNs(), s);
            expiring.add(e);
            waiting.put(s, e);
        }
    }

    /** The session no longer waits for its expiry (it resumed or ended). */
    private void unwait(MqttSession s) {
        Expiry e = waiting.remove(s);
        if (e != null) {
            expiring.remove(e);
        }
    }

    /** Releases the waiting sessions whose expiry the capture's time {@code ns} (at {@code frame}) has passed. */
    void sweep(long ns, long frame) {
        while (!expiring.isEmpty() && expiring.first().atNs() <= ns) {
            end(expiring.first().session(), frame, "expired"); // end() takes it out of expiring
        }
    }

    /** End of capture: the sessions still held. */
    void finish() {
        for (MqttSession s : new ArrayList<>(held.values())) {
            end(s, null, "capture_end");
        }
        expiring.clear();
        waiting.clear();
    }

    private void end(MqttSession s, Long frame, String endedBy) {
        unwait(s);
        held.remove(new BrokerKey(s.broker, s.clientKey), s);
        if (s.conn != null) {
            s.conn.session = null;
            s.conn = null;
        }
        String subscriptionsEnd = switch (endedBy) {
            case "capture_end", "limit" -> endedBy;
            case "connection_end", "refused" -> "connection_end";
            default -> "session_end";
        };
        s.subscriptions.end(frame, subscriptionsEnd);
        out.begin().set(T.session, s.id).set(T.clientKey, s.clientKey).set(T.clientId, s.clientId)
                .set(T.broker, s.broker.address().toString()).set(T.brokerPort, s.broker.port())
                .set(T.protocolLevel, s.protocolLevel == 0 ? null : s.protocolLevel).set(T.persistent, s.persistent())
                .set(T.expiryInterval, s.expirySeconds).set(T.firstStream, s.firstStream).set(T.lastStream, s.lastStream)
                .set(T.connections, s.connections).set(T.resumed, s.resumed).set(T.presentAtStart, s.presentAtStart)
                .set(T.startFrame, s.startFrame).set(T.startNs, s.startNs).set(T.endFrame, frame).set(T.endedBy, endedBy)
                .set(T.subscriptions, s.subscriptions.made()).set(T.deliveries, s.deliveries)
                .set(T.queuedDeliveries, s.queued).end();
    }

    private static Long number(MqttProperties props, int id, Long otherwise) {
        MqttProperty p = props == null ? null : props.first(id);
        return p == null ? otherwise : p.number();
    }
}
