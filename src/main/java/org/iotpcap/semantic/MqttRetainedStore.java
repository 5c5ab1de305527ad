package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.semantic.tables.MqttRetained;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * Retained messages as each broker stores them (MQTT 3.1.1 3.3.1.3, 5.0 3.3.1.3): a client PUBLISH with RETAIN set
 * stores its message for the topic, replacing the one stored; one with an empty payload clears it; an MQTT 5
 * Message Expiry Interval drops it when it passes (3.3.2.3.3). A retained delivery to a new subscription whose
 * message the capture never showed being published (it was set before the capture) is stored as known from the
 * delivery. Each is written to {@code mqtt_retained} when it ends; at most {@code max} are held, beyond it the
 * oldest is written with {@code ended_by = 'limit'} and a {@code semantic/mqtt_retained_limit} diagnostic.
 */
final class MqttRetainedStore {
    private static final MqttRetained T = MqttRetained.T;
    /** Payload text kept for a stored message: the whole payload is in mqtt_messages at its frame. */
    static final int MAX_TEXT_BYTES = 1024;

    private record Key(Endpoint broker, String topic) {}

    static final class Entry {
        final long id;
        final Key key;
        final String knownFrom;
        final long stream;
        final long frame;
        final long ns;
        final String clientKey;
        final long offset;
        final int qos;
        final long hash;
        final int length;
        final String text;
        final Long expiry;
        long deliveries;

        Entry(long id, Key key, String knownFrom, long stream, long frame, long offset, long ns, String clientKey,
              MqttMessage.Publish m) {
            this.id = id;
            this.key = key;
            this.knownFrom = knownFrom;
            this.stream = stream;
            this.frame = frame;
            this.offset = offset;
            this.ns = ns;
            this.clientKey = clientKey;
            this.qos = m.qos();
            this.hash = MqttPublishes.hash(m.payload());
            this.length = MqttPublishes.length(m.payload());
            this.text = length <= MAX_TEXT_BYTES ? m.payloadText() : null;
            MqttProperty e = m.properties() == null ? null : m.properties().first(Mqtt5PropertyId.MESSAGE_EXPIRY_INTERVAL.id);
            this.expiry = e == null ? null : e.number();
        }

        Long expiresNs() {
            return expiry == null ? null : ns + expiry * 1_000_000_000L;
        }

        boolean expiredAt(long atNs) {
            return expiry != null && expiresNs() <= atNs;
        }

        boolean same(ByteView payload) {
            return hash == MqttPublishes.hash(payload) && length == MqttPublishes.length(payload);
        }
    }

    private final RowWriter out;
    private final int max;
    private final Diagnostics diagnostics;
    /** In storing order: the oldest first. */
    private final LinkedHashMap<Key, Entry> store = new LinkedHashMap<>();
    private long nextId;

    MqttRetainedStore(RowWriter out, int max, Diagnostics diagnostics) {
        this.out = out;
        this.max = max;
        this.diagnostics = diagnostics;
    }

    /** A client's PUBLISH with RETAIN set (a DUP copy of the stored one changes nothing). */
    void publish(Endpoint broker, String topic, MqttMessage.Publish m, long stream, long frame, long offset, long ns,
                 String clientKey) {
        if (topic == null || topic.isEmpty()) {
            return;
        }
        Key k = new Key(broker, topic);
        Entry old = store.get(k);
        if (old != null && m.dup() && old.stream == stream && old.same(m.payload())) {
            return;
        }
        boolean clear = MqttPublishes.length(m.payload()) == 0;
        if (old != null) {
            store.remove(k);
            if (old.expiredAt(ns)) {
                end(old, "expired", null);
            } else {
                end(old, clear ? "cleared" : "replaced", frame);
            }
        }
        if (!clear) {
            put(new Entry(nextId++, k, "publish", stream, frame, offset, ns, clientKey, m), frame);
        }
    }

    /** A delivery with RETAIN set to a new subscription: the stored message it is (stored now if unknown). */
    Entry delivered(Endpoint broker, String topic, MqttMessage.Publish m, long stream, long frame, long ns) {
        if (topic == null || topic.isEmpty()) {
            return null;
        }
        Key k = new Key(broker, topic);
        Entry e = store.get(k);
        if (e == null || !e.same(m.payload())) {
            if (e != null) {
                store.remove(k);
                end(e, "replaced", null); // by a PUBLISH the capture does not show
            }
            e = new Entry(nextId++, k, "delivery", stream, frame, -1, ns, null, m);
            put(e, frame);
        }
        e.deliveries++;
        return e;
    }

    private void put(Entry e, long frame) {
        if (store.size() >= max) {
            Iterator<Entry> oldest = store.values().iterator();
            Entry old = oldest.next();
            oldest.remove();
            diagnostics.report(frame, Layer.SEMANTIC, "mqtt_retained_limit", "retained messages held (" + (max + 1)
                    + ") exceed limit (" + max + "): the one of topic " + old.key.topic() + " is no longer followed");
            end(old, "limit", null);
        }
        store.put(e.key, e);
    }

    /** End of capture at {@code lastNs}: the messages still stored, or expired by then. */
    void finish(long lastNs) {
        for (Entry e : new ArrayList<>(store.values())) {
            end(e, e.expiredAt(lastNs) ? "expired" : "capture_end", null);
        }
        store.clear();
    }

    private void end(Entry e, String endedBy, Long endedFrame) {
        out.begin().set(T.retained, e.id).set(T.broker, e.key.broker().address().toString())
                .set(T.brokerPort, e.key.broker().port()).set(T.topic, e.key.topic()).set(T.knownFrom, e.knownFrom)
                .set(T.stream, e.stream).set(T.frame, e.frame).set(T.timeNs, e.ns).set(T.clientKey, e.clientKey)
                .set(T.qos, e.qos).set(T.payloadLength, e.length).set(T.payloadText, e.text)
                .set(T.messageExpiry, e.expiry).set(T.expiresNs, e.expiresNs()).set(T.endedBy, endedBy)
                .set(T.endedFrame, endedFrame).set(T.subscribeDeliveries, e.deliveries).end();
    }
}
