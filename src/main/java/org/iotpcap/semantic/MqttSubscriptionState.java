package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.semantic.tables.MqttSubscriptions;
import org.iotpcap.table.RowWriter;

/**
 * The subscriptions of one session and their SUBACK pairing. A subscription lives from its SUBSCRIBE until an
 * UNSUBSCRIBE of the same filter, a new SUBSCRIBE of the same filter (which replaces it, MQTT 3.8.4), or the end
 * of its session (with its connection, or later for a persistent session: MQTT 3.1.2.4, 5.0 3.1.2.4); each is
 * written to {@code mqtt_subscriptions} when it ends. At most {@code max} are held; more are written at once as
 * {@code removed_by = 'limit'}.
 */
final class MqttSubscriptionState {
    private static final MqttSubscriptions T = MqttSubscriptions.T;

    /** The subscriptions of a session that match a delivery's topic, in subscription order. */
    record Match(List<Sub> subs, boolean exact, boolean wildcard) {
        static final Match NONE = new Match(List.of(), false, false);

        List<String> filters() {
            return subs.stream().map(s -> s.s.filter()).toList();
        }

        /**
         * The subscription behind the delivery: the first matching one whose Subscription Identifier the PUBLISH
         * names (5.0 3.3.4: the broker sends the identifiers of the subscriptions it delivers for), else the one
         * with the highest QoS, the earliest of equals; null when none matches.
         */
        Sub behind(List<Long> identifiers) {
            for (Sub s : subs) {
                if (s.identifier != null && identifiers.contains((long) s.identifier)) {
                    return s;
                }
            }
            Sub best = null;
            for (Sub s : subs) {
                if (best == null || s.s.qos() > best.s.qos()) {
                    best = s;
                }
            }
            return best;
        }
    }

    static final class Sub {
        final long id;
        final long stream;
        final MqttMessage.Subscription s;
        final String topicFilter;
        /** The filter after any ShareName has no wildcard. */
        final boolean exact;
        final String group;
        final Integer identifier;
        final int packetId;
        final long frame;
        final long nanos;
        Long subackFrame;
        Integer subackCode;

        Sub(long id, long stream, MqttMessage.Subscription s, Integer identifier, int packetId, long frame, long nanos) {
            this.id = id;
            this.stream = stream;
            this.s = s;
            this.topicFilter = TopicFilter.topicFilter(s.filter());
            this.exact = TopicFilter.wildcard(topicFilter).equals("none");
            this.group = TopicFilter.shareGroup(s.filter());
            this.identifier = identifier;
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
    private final MqttSession owner;
    private final LongSupplier ids;
    private final LinkedHashMap<String, Sub> subs = new LinkedHashMap<>();
    private final Map<Integer, List<Sub>> awaitingSuback = new HashMap<>();
    private int made;

    MqttSubscriptionState(RowWriter out, int max, MqttSession owner, LongSupplier ids) {
        this.out = out;
        this.max = max;
        this.owner = owner;
        this.ids = ids;
    }

    int made() {
        return made;
    }

    void subscribe(long stream, MqttMessage.Subscribe m, long startFrame, long endFrame, long endNanos) {
        MqttProperty sid = m.properties().first(Mqtt5PropertyId.SUBSCRIPTION_IDENTIFIER.id);
        Integer identifier = sid == null ? null : (int) sid.number();
        List<Sub> added = new ArrayList<>();
        for (MqttMessage.Subscription s : m.subscriptions()) {
            Sub old = subs.remove(s.filter());
            if (old != null) {
                write(old, startFrame, "replaced");
            }
            Sub sub = new Sub(ids.getAsLong(), stream, s, identifier, m.packetId(), endFrame, endNanos);
            made++;
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

    /**
     * The subscriptions made before {@code frame} and not refused whose filters match {@code topic}; a No Local
     * one (5.0 3.8.3.1) not for a message that {@code publisher} (the receiving client itself) sent.
     */
    Match matching(String topic, long frame, boolean ownMessage) {
        List<Sub> matching = new ArrayList<>();
        boolean exact = false;
        boolean wildcard = false;
        for (Sub s : subs.values()) {
            if (s.refused() || s.frame > frame || ownMessage && s.s.noLocal()) {
                continue;
            }
            if (TopicFilter.matches(s.topicFilter, topic)) {
                matching.add(s);
                if (s.exact) {
                    exact = true;
                } else {
                    wildcard = true;
                }
            }
        }
        return matching.isEmpty() ? Match.NONE : new Match(matching, exact, wildcard);
    }

    /** The session's connection ended: SUBSCRIBEs still waiting for their SUBACK will get none. */
    void connectionEnded() {
        awaitingSuback.clear();
    }

    /** The session ended: every subscription still held ends with it ({@code frame} null: no frame ends it). */
    void end(Long frame, String removedBy) {
        for (Sub s : subs.values()) {
            write(s, frame, removedBy);
        }
        subs.clear();
        awaitingSuback.clear();
    }

    private void write(Sub s, Long removedFrame, String removedBy) {
        MqttMessage.Subscription sub = s.s;
        out.begin().set(T.subscription, s.id).set(T.session, owner.id).set(T.stream, s.stream)
                .set(T.clientKey, owner.clientKey).set(T.broker, owner.broker.address().toString())
                .set(T.brokerPort, owner.broker.port())
                .set(T.filter, sub.filter()).set(T.qos, sub.qos()).set(T.noLocal, sub.noLocal())
                .set(T.retainAsPublished, sub.retainAsPublished()).set(T.retainHandling, sub.retainHandling())
                .set(T.shareGroup, s.group).set(T.topicFilter, s.topicFilter).set(T.subscriptionIdentifier, s.identifier)
                .set(T.wildcard, TopicFilter.wildcard(sub.filter())).set(T.packetId, s.packetId)
                .set(T.subscribeFrame, s.frame).set(T.subscribeNs, s.nanos).set(T.subackFrame, s.subackFrame)
                .set(T.subackCode, s.subackCode).set(T.granted, s.subackCode == null ? null : !s.refused())
                .set(T.removedFrame, removedFrame).set(T.removedBy, removedBy).end();
    }
}
