package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.semantic.tables.MqttRetained;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * Retained messages as each broker stores them (MQTT 3.1.1 3.3.1.3, 5.0 3.3.1.3): a client PUBLISH with RETAIN set
 * stores its message for the topic, replacing the one stored; one with an empty payload clears it; an MQTT 5
 * Message Expiry Interval drops it when it passes (3.3.2.3.3); a fired will with Will Retain is stored as the
 * broker publishes it (3.1.2.6). A retained delivery to a new subscription whose
 * message the capture never showed being published (it was set before the capture) is stored as known from the
 * delivery. Each is written to {@code mqtt_retained} when it ends; at most {@code max} are held, beyond it the
 * oldest is written with {@code ended_by = 'limit'} and a {@code semantic/mqtt_retained_limit} diagnostic.
 */
final class MqttRetainedStore {
    private static final MqttRetained T = MqttRetained.T;
    /** Payload text kept for a stored message: the whole payload is in mqtt_messages at its frame. */
    static final int MAX_TEXT_BYTES = 1024;

    static final class Entry {
        /** Numbered when stored. */
        long id;
        final BrokerKey key;
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

        Entry(BrokerKey key, String knownFrom, long stream, long frame, long offset, long ns, String clientKey,
              int qos, ByteView payload, String payloadText, MqttProperties properties) {
            this.key = key;
            this.knownFrom = knownFrom;
            this.stream = stream;
            this.frame = frame;
            this.offset = offset;
            this.ns = ns;
            this.clientKey = clientKey;
            this.qos = qos;
            this.hash = MqttPublishes.hash(payload);
            this.length = MqttPublishes.length(payload);
            this.text = length <= MAX_TEXT_BYTES ? payloadText : null;
            MqttProperty e = properties == null ? null : properties.first(Mqtt5PropertyId.MESSAGE_EXPIRY_INTERVAL.id);
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
    private final LinkedHashMap<BrokerKey, Entry> store = new LinkedHashMap<>();
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
        BrokerKey k = new BrokerKey(broker, topic);
        Entry old = store.get(k);
        if (old != null && m.dup() && old.stream == stream && old.same(m.payload())) {
            return;
        }
        store(k, new Entry(k, "publish", stream, frame, offset, ns, clientKey, m.qos(), m.payload(),
                m.payloadText(), m.properties()), frame);
    }

    /**
     * A fired will with Will Retain: the broker publishes it as a retained message (3.1.1 3.1.2.6, 5.0 3.1.2.7),
     * at the frame where it fired and the time of its connection's last frame seen then.
     */
    void will(MqttConn conn) {
        MqttMessage.Will w = conn.will();
        if (w.topic() == null || w.topic().isEmpty()) {
            return;
        }
        BrokerKey k = new BrokerKey(conn.broker(), w.topic());
        store(k, new Entry(k, "will", conn.tcp.index(), conn.willFiredFrame, -1, conn.tcp.lastNanos(),
                conn.clientKey(), w.qos(), w.payload(), w.payloadText(), w.properties()), conn.willFiredFrame);
    }

    /** Stores {@code e} for its topic: replacing the stored message, or clearing it when the payload is empty. */
    private void store(BrokerKey k, Entry e, long frame) {
        Entry old = store.remove(k);
        boolean clear = e.length == 0;
        if (old != null) {
            if (old.expiredAt(e.ns)) {
                end(old, "expired", null);
            } else {
                end(old, clear ? "cleared" : "replaced", frame);
            }
        }
        if (!clear) {
            put(e, frame);
        }
    }

    /** A delivery with RETAIN set to a new subscription: the stored message it is (stored now if unknown). */
    Entry delivered(Endpoint broker, String topic, MqttMessage.Publish m, long stream, long frame, long ns) {
        if (topic == null || topic.isEmpty()) {
            return null;
        }
        BrokerKey k = new BrokerKey(broker, topic);
        Entry e = store.get(k);
        if (e == null || !e.same(m.payload())) {
            if (e != null) {
                store.remove(k);
                end(e, "replaced", null); // by a PUBLISH the capture does not show
            }
            e = new Entry(k, "delivery", stream, frame, -1, ns, null, m.qos(), m.payload(), m.payloadText(),
                    m.properties());
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
                    + ") exceed limit (" + max + "): the one of topic " + old.key.name() + " is no longer followed");
            end(old, "limit", null);
        }
        e.id = nextId++;
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
                .set(T.brokerPort, e.key.broker().port()).set(T.topic, e.key.name()).set(T.knownFrom, e.knownFrom)
                .set(T.stream, e.stream).set(T.frame, e.frame).set(T.timeNs, e.ns).set(T.clientKey, e.clientKey)
                .set(T.qos, e.qos).set(T.payloadLength, e.length).set(T.payloadText, e.text)
                .set(T.messageExpiry, e.expiry).set(T.expiresNs, e.expiresNs()).set(T.endedBy, endedBy)
                .set(T.endedFrame, endedFrame).set(T.subscribeDeliveries, e.deliveries).end();
    }
}
