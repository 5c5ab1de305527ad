package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.semantic.tables.MqttSubscriptions;
import org.iotpcap.table.RowWriter;

/**
 * The subscriptions of one connection and their SUBACK pairing. A subscription lives from its SUBSCRIBE until an
 * UNSUBSCRIBE of the same filter, a new SUBSCRIBE of the same filter (which replaces it, MQTT 3.8.4), or the end
 * of the connection; each is written to {@code mqtt_subscriptions} when it ends. At most {@code max} are held;
 * more are written at once as {@code removed_by = 'limit'}.
 */
final class MqttSubscriptionState {
    private static final MqttSubscriptions T = MqttSubscriptions.T;

    /** The filters of a connection that match a delivery's topic. */
    record Match(List<String> filters, boolean exact, boolean wildcard) {}

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

    private final RowWriter out;
    private final int max;
    private final MqttConn owner;
    private final LinkedHashMap<String, Sub> subs = new LinkedHashMap<>();
    private final Map<Integer, List<Sub>> awaitingSuback = new HashMap<>();

    MqttSubscriptionState(RowWriter out, int max, MqttConn owner) {
        this.out = out;
        this.max = max;
        this.owner = owner;
    }

    void subscribe(MqttMessage.Subscribe m, long startFrame, long endFrame, long endNanos) {
        List<Sub> added = new ArrayList<>();
        for (MqttMessage.Subscription s : m.subscriptions()) {
            Sub old = subs.remove(s.filter());
            if (old != null) {
                write(old, startFrame, "replaced");
            }
            Sub sub = new Sub(s, m.packetId(), endFrame, endNanos);
            if (subs.size() >= max) {
                write(sub, endFrame, "limit");
                continue;
            }
            subs.put(s.filter(), sub);
            added.add(sub);
        }
        awaitingSuback.put(m.packetId(), added);
    }

    /** SUBACK codes pair with the SUBSCRIBE's filters in order (MQTT 3.9.3). */
    void suback(MqttMessage.Suback m, long frame) {
        List<Sub> waiting = awaitingSuback.remove(m.packetId());
        if (waiting == null) {
            return;
        }
        for (int i = 0; i < waiting.size() && i < m.codes().size(); i++) {
            waiting.get(i).subackFrame = frame;
            waiting.get(i).subackCode = m.codes().get(i);
        }
    }

    void unsubscribe(MqttMessage.Unsubscribe m, long frame) {
        for (String filter : m.filters()) {
            Sub old = subs.remove(filter);
            if (old != null) {
                write(old, frame, "unsubscribe");
            }
        }
    }

    /** The subscriptions made before {@code frame} and not refused whose filters match {@code topic}. */
    Match matching(String topic, long frame) {
        List<String> matching = new ArrayList<>();
        boolean exact = false;
        boolean wildcard = false;
        for (Sub s : subs.values()) {
            if (s.refused() || s.frame > frame) {
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
        return new Match(matching, exact, wildcard);
    }

    /** The connection ended: every subscription still held ends with it. */
    void end(long lastFrame) {
        for (Sub s : subs.values()) {
            write(s, lastFrame, "connection_end");
        }
        subs.clear();
        awaitingSuback.clear();
    }

    private void write(Sub s, long removedFrame, String removedBy) {
        MqttMessage.Subscription sub = s.s;
        out.begin().set(T.stream, owner.tcp.index()).set(T.clientKey, owner.clientKey())
                .set(T.broker, owner.broker().address().toString()).set(T.brokerPort, owner.broker().port())
                .set(T.filter, sub.filter()).set(T.qos, sub.qos()).set(T.noLocal, sub.noLocal())
                .set(T.retainAsPublished, sub.retainAsPublished()).set(T.retainHandling, sub.retainHandling())
                .set(T.wildcard, TopicFilter.wildcard(sub.filter())).set(T.packetId, s.packetId)
                .set(T.subscribeFrame, s.frame).set(T.subscribeNs, s.nanos).set(T.subackFrame, s.subackFrame)
                .set(T.subackCode, s.subackCode).set(T.granted, s.subackCode == null ? null : !s.refused())
                .set(T.removedFrame, removedFrame).set(T.removedBy, removedBy).end();
    }
}
