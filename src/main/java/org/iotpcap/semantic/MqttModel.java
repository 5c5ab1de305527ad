package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.transport.Endpoint;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * The MQTT model: messages, connections, clients, subscriptions, deliveries and wills (docs/tables.md).
 *
 * <ul>
 *   <li>A client is its CONNECT's client identifier; where the CONNECT is not in the capture or the identifier
 *       is empty, the connection's client endpoint ({@code ip:port}) stands for it. Two connections with the
 *       same identifier to the same broker (address and port) are one client.</li>
 *   <li>A subscription lives on its connection from its SUBSCRIBE until an UNSUBSCRIBE of the same filter, a
 *       new SUBSCRIBE of the same filter (which replaces it), or the end of the connection.</li>
 *   <li>A delivery is a PUBLISH from the broker to a client; it lists the subscriptions of that connection,
 *       made before it and not refused by SUBACK, whose filters match its topic level by level.</li>
 *   <li>A will fires when its connection ends without a DISCONNECT (a FIN or RST first), or with an MQTT 5
 *       DISCONNECT of reason 0x04; never when the server refused the CONNECT. A delivery is a will when its
 *       topic and payload equal the will of a connection to the same broker that fired before it.</li>
 * </ul>
 */
final class MqttModel {
    /** Subscriptions held per connection; more are written at once as removed_by 'limit'. */
    static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 10_000;

    private final ModelSink sink;
    private final boolean keepSecrets;
    private final Map<Long, Conn> connections = new HashMap<>();
    /** Wills that fired, per broker endpoint, in firing order. */
    private final Map<Endpoint, List<Conn>> fired = new HashMap<>();
    /** Connections with a will not yet fired, per broker endpoint. */
    private final Map<Endpoint, List<Conn>> armed = new HashMap<>();
    private final Map<String, ClientRow> clients = new LinkedHashMap<>();
    /** Ended connections that had a will, written at the end of the capture. */
    private final List<Conn> wills = new ArrayList<>();
    private final MqttQosFlows qosFlows;

    private static final class Sub {
        final MqttMessage.Subscription s;
        final int packetId;
        final long frame;
        final long nanos;
        Long subackFrame;
        Integer subackCode;

        Sub(MqttMessage.Subscription s, int packetId, long frame, long nanos) {
            this.s = s;
            this.packetId = packetId;
            this.frame = frame;
            this.nanos = nanos;
        }

        boolean refused() {
            return subackCode != null && subackCode >= 0x80;
        }
    }

    private static final class Conn {
        final TcpConnection tcp;
        MqttMessage.Connect connect;
        long connectFrame;
        Long connackFrame;
        Integer connackCode;
        long disconnectFrame;
        int disconnectReason = -1;
        long messages;
        long firstFrame;
        long lastFrame;
        String clientKey;
        final LinkedHashMap<String, Sub> subs = new LinkedHashMap<>();
        final Map<Integer, List<Sub>> awaitingSuback = new HashMap<>();
        final Map<Integer, List<String>> awaitingUnsuback = new HashMap<>();
        boolean willFired;
        long willFiredFrame;
        String endedBy;
        long willDeliveries;

        Conn(TcpConnection tcp, long frame) {
            this.tcp = tcp;
            this.firstFrame = frame;
        }

        Endpoint broker() {
            return tcp.server();
        }

        String clientKey() {
            if (clientKey == null) {
                String id = connect == null ? null : connect.clientId();
                clientKey = id != null && !id.isEmpty() ? id : tcp.client().toString();
            }
            return clientKey;
        }

        boolean hasWill() {
            return connect != null && connect.will() != null;
        }
    }

    private static final class ClientRow {
        final String key;
        final String clientId;
        final Endpoint broker;
        final String endpoint;
        int connections;
        long firstFrame;
        long lastFrame;

        ClientRow(String key, String clientId, Endpoint broker, String endpoint, long frame) {
            this.key = key;
            this.clientId = clientId;
            this.broker = broker;
            this.endpoint = endpoint;
            this.firstFrame = frame;
            this.lastFrame = frame;
        }
    }

    MqttModel(ModelSink sink, boolean keepSecrets) {
        this.sink = sink;
        this.keepSecrets = keepSecrets;
        this.qosFlows = new MqttQosFlows(sink);
    }

    void message(MessageContext c, TcpConnection tcp, MqttFramed f) {
        Conn conn = connections.computeIfAbsent(tcp.index(), k -> new Conn(tcp, f.startFrame()));
        conn.messages++;
        conn.lastFrame = f.endFrame();
        writeMessage(c, tcp, f);
        qosFlows.message(tcp, conn.clientKey(), f);
        boolean fromClient = f.fromClient();
        switch (f.message()) {
            case MqttMessage.Connect m when fromClient && conn.connect == null -> {
                conn.connect = m;
                conn.connectFrame = f.endFrame();
                conn.clientKey = null;
                if (conn.hasWill()) {
                    armed.computeIfAbsent(conn.broker(), k -> new ArrayList<>()).add(conn);
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
            case MqttMessage.Subscribe m when fromClient -> {
                List<Sub> added = new ArrayList<>();
                for (MqttMessage.Subscription s : m.subscriptions()) {
                    Sub old = conn.subs.remove(s.filter());
                    if (old != null) {
                        writeSubscription(conn, old, f.startFrame(), "replaced");
                    }
                    if (conn.subs.size() >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
                        writeSubscription(conn, new Sub(s, m.packetId(), f.endFrame(), f.endNanos()), f.endFrame(), "limit");
                        continue;
                    }
                    Sub sub = new Sub(s, m.packetId(), f.endFrame(), f.endNanos());
                    conn.subs.put(s.filter(), sub);
                    added.add(sub);
                }
                conn.awaitingSuback.put(m.packetId(), added);
            }
            case MqttMessage.Suback m when !fromClient -> {
                List<Sub> subs = conn.awaitingSuback.remove(m.packetId());
                if (subs != null) {
                    for (int i = 0; i < subs.size() && i < m.codes().size(); i++) {
                        subs.get(i).subackFrame = f.endFrame();
                        subs.get(i).subackCode = m.codes().get(i);
                    }
                }
            }
            case MqttMessage.Unsubscribe m when fromClient -> {
                for (String filter : m.filters()) {
                    Sub old = conn.subs.remove(filter);
                    if (old != null) {
                        writeSubscription(conn, old, f.endFrame(), "unsubscribe");
                    }
                }
            }
            case MqttMessage.Publish m when !fromClient -> delivery(c, conn, f, m);
            default -> { }
        }
    }

    private void delivery(MessageContext c, Conn conn, MqttFramed f, MqttMessage.Publish m) {
        String topic = m.resolvedTopic() != null ? m.resolvedTopic() : m.topic();
        List<String> matching = new ArrayList<>();
        boolean exact = false;
        boolean wildcard = false;
        for (Sub s : conn.subs.values()) {
            if (s.refused() || s.frame > f.startFrame()) {
                continue;
            }
            if (TopicFilter.matches(s.s.filter(), topic)) {
                matching.add(s.s.filter());
                if (TopicFilter.wildcard(s.s.filter()).equals("none")) {
                    exact = true;
                } else {
                    wildcard = true;
                }
            }
        }
        fireEndedWills(conn.broker(), f.startFrame());
        Conn will = null;
        List<Conn> candidates = fired.get(conn.broker());
        if (candidates != null) {
            for (int i = candidates.size() - 1; i >= 0; i--) {
                Conn w = candidates.get(i);
                MqttMessage.Will wm = w.connect.will();
                if (w.willFiredFrame <= f.startFrame() && topic != null && topic.equals(wm.topic())
                        && sameBytes(wm.payload(), m.payload())) {
                    will = w;
                    break;
                }
            }
        }
        if (will != null) {
            will.willDeliveries++;
        }
        sink.row(Table.MQTT_DELIVERIES, conn.tcp.index(), f.startFrame(), f.endFrame(), f.startNanos(),
                conn.clientKey(), conn.broker().address().toString(), conn.broker().port(), topic, m.qos(), m.retain(),
                m.dup(), m.qos() > 0 ? m.packetId() : null, m.payload() == null ? 0 : m.payload().length(), m.payloadText(),
                matching.isEmpty() ? null : String.join(" ", matching), matching.size(), exact, wildcard,
                will != null, will == null ? null : will.tcp.index(), will == null ? null : will.clientKey());
    }

    /** Marks as fired the armed wills of a broker whose connections began to end (FIN/RST) at or before a frame. */
    private void fireEndedWills(Endpoint broker, long frame) {
        List<Conn> list = armed.get(broker);
        if (list == null) {
            return;
        }
        for (var it = list.iterator(); it.hasNext(); ) {
            Conn w = it.next();
            long ending = w.tcp.endingFrame();
            boolean normal = w.disconnectFrame != 0 && w.disconnectReason != 0x04;
            // A refused CONNECT (3.1.1 3.2.2.3 return code 1-5; 5.0 3.2.2.2 reason >= 0x80) opens no session,
            // so the server holds no will for it (3.1.4).
            boolean refused = w.connackCode != null && w.connackCode != 0;
            if (normal || refused) {
                it.remove();
                continue;
            }
            long at = w.disconnectReason == 0x04 ? w.disconnectFrame : ending;
            if (at != 0 && at <= frame) {
                it.remove();
                w.willFired = true;
                w.willFiredFrame = at;
                fired.computeIfAbsent(broker, k -> new ArrayList<>()).add(w);
            }
        }
    }

    private static boolean sameBytes(ByteView a, ByteView b) {
        if (a == null || b == null) {
            return a == null && (b == null || b.length() == 0) || b == null && a.length() == 0;
        }
        return a.equals(b);
    }

    /** The connection ended: write it, its subscriptions, its will and its client. */
    void end(TcpConnection tcp) {
        Conn conn = connections.remove(tcp.index());
        if (conn == null) {
            return;
        }
        fireEndedWills(conn.broker(), Long.MAX_VALUE);
        qosFlows.end(tcp);
        for (Sub s : conn.subs.values()) {
            writeSubscription(conn, s, tcp.lastFrame(), "connection_end");
        }
        conn.subs.clear();
        String endedBy;
        if (conn.disconnectFrame != 0) {
            endedBy = "disconnect";
        } else {
            endedBy = switch (tcp.closeReason()) {
                case RST -> "rst";
                case FIN, HALF_CLOSED -> "tcp_close";
                case CAPTURE_END -> tcp.endingFrame() != 0 ? "tcp_close" : "capture_end";
                case REUSED -> "port_reused";
                case EVICTED -> "evicted";
                case OPEN -> "open";
            };
        }
        MqttMessage.Connect ct = conn.connect;
        MqttMessage.Will w = ct == null ? null : ct.will();
        sink.row(Table.MQTT_CONNECTIONS, tcp.index(), tcp.client().address().toString(), tcp.client().port(),
                conn.broker().address().toString(), conn.broker().port(), conn.clientKey(),
                ct == null ? null : ct.clientId(), ct == null ? null : ct.protocolLevel(), ct == null ? null : ct.protocolName(),
                ct == null ? null : ct.cleanSession(), ct == null ? null : ct.keepAliveSeconds(),
                ct == null ? null : ct.willFlag(), w == null ? null : w.qos(), w == null ? null : w.retain(),
                w == null ? null : w.topic(), w == null || w.payload() == null ? null : w.payload().toByteArray(),
                w == null ? null : w.payloadText(),
                ct == null ? null : ct.username(), ct == null ? null : ct.passwordPresent(),
                ct == null ? null : conn.connectFrame, conn.connackFrame, conn.connackCode,
                tcp.firstFrame(), tcp.lastFrame(), tcp.firstNanos(), tcp.lastNanos(), endedBy,
                conn.disconnectFrame == 0 ? null : conn.disconnectFrame, conn.messages);
        if (w != null) {
            conn.endedBy = endedBy;
            wills.add(conn); // written at the end: the broker publishes a will after the connection closes
        }
        String key = conn.clientKey() + "\u0000" + conn.broker();
        ClientRow row = clients.computeIfAbsent(key, k -> new ClientRow(conn.clientKey(),
                ct == null || ct.clientId() == null || ct.clientId().isEmpty() ? null : ct.clientId(), conn.broker(),
                tcp.client().toString(), tcp.firstFrame()));
        row.connections++;
        row.firstFrame = Math.min(row.firstFrame, tcp.firstFrame());
        row.lastFrame = Math.max(row.lastFrame, tcp.lastFrame());
    }

    private void writeSubscription(Conn conn, Sub s, long removedFrame, String removedBy) {
        MqttMessage.Subscription sub = s.s;
        sink.row(Table.MQTT_SUBSCRIPTIONS, conn.tcp.index(), conn.clientKey(), conn.broker().address().toString(),
                conn.broker().port(), sub.filter(), sub.qos(), sub.noLocal(), sub.retainAsPublished(),
                sub.retainHandling(), TopicFilter.wildcard(sub.filter()), s.packetId, s.frame, s.nanos,
                s.subackFrame, s.subackCode, s.subackCode == null ? null : !s.refused(), removedFrame, removedBy);
    }

    void finish() {
        for (Conn conn : wills) {
            MqttMessage.Connect ct = conn.connect;
            MqttMessage.Will w = ct.will();
            sink.row(Table.MQTT_WILLS, conn.tcp.index(), conn.clientKey(), ct.clientId(),
                    conn.broker().address().toString(), conn.broker().port(), w.topic(),
                    w.payload() == null ? null : w.payload().toByteArray(), w.payloadText(), w.qos(), w.retain(),
                    conn.connectFrame, conn.willFired, conn.willFired ? conn.willFiredFrame : null,
                    conn.endedBy, conn.willDeliveries);
        }
        for (ClientRow r : clients.values()) {
            sink.row(Table.MQTT_CLIENTS, r.key, r.clientId, r.broker.address().toString(), r.broker.port(),
                    r.clientId == null ? r.endpoint : null, r.connections, r.firstFrame, r.lastFrame);
        }
    }

    private void writeMessage(MessageContext c, TcpConnection tcp, MqttFramed f) {
        Object[] v = new Object[14 + 30]; // 14 columns for every packet, 30 that depend on its type
        int i = 0;
        v[i++] = tcp.index();
        v[i++] = f.startFrame();
        v[i++] = f.endFrame();
        v[i++] = f.startNanos();
        v[i++] = f.endNanos();
        v[i++] = f.fromClient() ? "c2s" : "s2c";
        v[i++] = c.src().address().toString();
        v[i++] = c.src().port();
        v[i++] = c.dst().address().toString();
        v[i++] = c.dst().port();
        v[i++] = f.protocolLevel();
        v[i++] = f.typeName();
        v[i++] = f.totalLength();
        v[i++] = f.remainingLength();
        // dup, qos, retain, topic, topic_alias, packet_id, payload_length, payload, payload_text
        // protocol_name, client_id, clean_session, keep_alive, will_flag, will_qos, will_retain, will_topic,
        // will_payload, will_payload_text, username, password_present, password_length, password,
        // session_present, return_code, reason_code, filters, filter_count, codes, properties
        int base = i;
        MqttProperties props = null;
        switch (f.message()) {
            case MqttMessage.Publish m -> {
                v[base] = m.dup();
                v[base + 1] = m.qos();
                v[base + 2] = m.retain();
                v[base + 3] = m.resolvedTopic() != null ? m.resolvedTopic() : m.topic();
                int alias = m.topicAlias();
                v[base + 4] = alias > 0 ? alias : null;
                v[base + 5] = m.qos() > 0 ? m.packetId() : null;
                v[base + 6] = m.payload() == null ? 0 : m.payload().length();
                v[base + 7] = m.payload() == null ? null : m.payload().toByteArray();
                v[base + 8] = m.payloadText();
                props = m.properties();
            }
            case MqttMessage.Connect m -> {
                v[base + 9] = m.protocolName();
                v[base + 10] = m.clientId();
                v[base + 11] = m.cleanSession();
                v[base + 12] = m.keepAliveSeconds();
                v[base + 13] = m.willFlag();
                MqttMessage.Will w = m.will();
                if (w != null) {
                    v[base + 14] = w.qos();
                    v[base + 15] = w.retain();
                    v[base + 16] = w.topic();
                    v[base + 17] = w.payload() == null ? null : w.payload().toByteArray();
                    v[base + 18] = w.payloadText();
                }
                v[base + 19] = m.username();
                v[base + 20] = m.passwordPresent();
                v[base + 21] = m.passwordPresent() ? m.passwordLength() : null;
                v[base + 22] = keepSecrets && m.password() != null ? m.password().utf8(0, m.password().length()) : null;
                props = m.properties();
            }
            case MqttMessage.Connack m -> {
                v[base + 23] = m.sessionPresent();
                v[base + 24] = m.code();
                props = m.properties();
            }
            case MqttMessage.Puback m -> ack(v, base, m.packetId(), m.reasonCode());
            case MqttMessage.Pubrec m -> ack(v, base, m.packetId(), m.reasonCode());
            case MqttMessage.Pubrel m -> ack(v, base, m.packetId(), m.reasonCode());
            case MqttMessage.Pubcomp m -> ack(v, base, m.packetId(), m.reasonCode());
            case MqttMessage.Subscribe m -> {
                v[base + 5] = m.packetId();
                List<String> fs = new ArrayList<>();
                for (MqttMessage.Subscription s : m.subscriptions()) {
                    fs.add(s.filter() + " (qos " + s.qos() + ")");
                }
                v[base + 26] = String.join(", ", fs);
                v[base + 27] = m.subscriptions().size();
                props = m.properties();
            }
            case MqttMessage.Suback m -> {
                v[base + 5] = m.packetId();
                v[base + 28] = join(m.codes());
                props = m.properties();
            }
            case MqttMessage.Unsubscribe m -> {
                v[base + 5] = m.packetId();
                v[base + 26] = String.join(", ", m.filters());
                v[base + 27] = m.filters().size();
                props = m.properties();
            }
            case MqttMessage.Unsuback m -> {
                v[base + 5] = m.packetId();
                v[base + 28] = join(m.codes());
                props = m.properties();
            }
            case MqttMessage.Disconnect m -> {
                v[base + 25] = m.reasonCode() >= 0 ? m.reasonCode() : null;
                props = m.properties();
            }
            case MqttMessage.Auth m -> {
                v[base + 25] = m.reasonCode() >= 0 ? m.reasonCode() : null;
                props = m.properties();
            }
            default -> { }
        }
        v[base + 29] = props == null || props.isEmpty() ? null : properties(props);
        sink.row(Table.MQTT_MESSAGES, v);
    }

    private static void ack(Object[] v, int base, int packetId, int reasonCode) {
        v[base + 5] = packetId;
        v[base + 25] = reasonCode >= 0 ? reasonCode : null;
    }

    private static String join(List<Integer> codes) {
        StringBuilder sb = new StringBuilder();
        for (Integer c : codes) {
            sb.append(sb.isEmpty() ? "" : ",").append(c);
        }
        return sb.toString();
    }

    private static String properties(MqttProperties p) {
        StringBuilder sb = new StringBuilder();
        for (MqttProperty x : p.list()) {
            sb.append(sb.isEmpty() ? "" : "; ").append(x);
        }
        return sb.toString();
    }
}
