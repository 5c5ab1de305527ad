package org.iotpcap.semantic;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.semantic.tables.MqttWills;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * Wills: armed by a CONNECT with the Will flag, fired when the connection ends without a normal DISCONNECT (a FIN
 * or RST first, or an MQTT 5 DISCONNECT of reason 0x04), never when the server refused the CONNECT (MQTT 3.1.2.5,
 * 3.1.4). A delivery is recognised as a will when its topic and payload equal the will of a connection to the same
 * broker that fired before it (the most recent such will).
 *
 * <p>A will that did not fire is written to {@code mqtt_wills} when its connection ends: it can no longer change.
 * A fired will stays matchable until the end of the capture, at most {@code maxFired} in all (whatever the number
 * of brokers); the oldest beyond that is written and no longer matched, with a {@code semantic/mqtt_fired_will_limit}
 * diagnostic.
 */
final class MqttWillTracker {
    private static final MqttWills T = MqttWills.T;

    private final RowWriter out;
    private final int maxFired;
    private final Diagnostics diagnostics;
    /** Connections with a will not yet fired, per broker endpoint. */
    private final Map<Endpoint, List<MqttConn>> armed = new HashMap<>();
    /** Wills that fired, per broker endpoint, in firing order. */
    private final Map<Endpoint, ArrayDeque<MqttConn>> fired = new HashMap<>();
    /** Every fired will held, in firing order: the oldest is the first evicted. */
    private final ArrayDeque<MqttConn> firedOrder = new ArrayDeque<>();

    MqttWillTracker(RowWriter out, int maxFired, Diagnostics diagnostics) {
        this.out = out;
        this.maxFired = maxFired;
        this.diagnostics = diagnostics;
    }

    void arm(MqttConn conn) {
        armed.computeIfAbsent(conn.broker(), k -> new ArrayList<>()).add(conn);
    }

    /** Fires the armed wills of a broker whose connections began to end at or before {@code frame}. */
    void fireEnded(Endpoint broker, long frame) {
        List<MqttConn> list = armed.get(broker);
        if (list == null) {
            return;
        }
        for (Iterator<MqttConn> it = list.iterator(); it.hasNext(); ) {
            MqttConn w = it.next();
            if (w.normalDisconnect() || w.refused()) {
                it.remove();
                continue;
            }
            long at = w.willFrame();
            if (at != 0 && at <= frame) {
                it.remove();
                w.willFired = true;
                w.willFiredFrame = at;
                ArrayDeque<MqttConn> q = fired.computeIfAbsent(broker, k -> new ArrayDeque<>());
                q.addLast(w);
                firedOrder.addLast(w);
                if (firedOrder.size() > maxFired) {
                    evictOldest(frame);
                }
            }
        }
        if (list.isEmpty()) {
            armed.remove(broker);
        }
    }

    private void evictOldest(long frame) {
        MqttConn old = firedOrder.pollFirst();
        ArrayDeque<MqttConn> q = fired.get(old.broker());
        q.pollFirst(); // firing order is the same in both: the broker's oldest is the oldest of all
        if (q.isEmpty()) {
            fired.remove(old.broker());
        }
        diagnostics.report(frame, Layer.SEMANTIC, "mqtt_fired_will_limit", "fired wills held (" + (firedOrder.size() + 1)
                + ") exceed limit (" + maxFired + "): the will of stream " + old.tcp.index() + " (broker "
                + old.broker() + ") is no longer matched to deliveries");
        if (old.endedBy != null) {
            write(old);
        } else {
            old.endedBy = "";
        }
    }

    /** The fired will that a delivery of {@code topic} and {@code payload} at {@code frame} is, or null. */
    MqttConn match(Endpoint broker, String topic, ByteView payload, long frame) {
        fireEnded(broker, frame);
        ArrayDeque<MqttConn> candidates = fired.get(broker);
        if (candidates == null || topic == null) {
            return null;
        }
        for (Iterator<MqttConn> it = candidates.descendingIterator(); it.hasNext(); ) {
            MqttConn w = it.next();
            MqttMessage.Will wm = w.will();
            if (w.willFiredFrame <= frame && topic.equals(wm.topic()) && sameBytes(wm.payload(), payload)) {
                return w;
            }
        }
        return null;
    }

    /** The connection ended with {@code endedBy}: a will that did not fire is written now. */
    void ended(MqttConn conn, String endedBy) {
        fireEnded(conn.broker(), Long.MAX_VALUE);
        List<MqttConn> stillArmed = armed.get(conn.broker());
        if (stillArmed != null) {
            stillArmed.remove(conn); // it can no longer fire: its connection is gone
        }
        boolean evicted = "".equals(conn.endedBy);
        conn.endedBy = endedBy;
        if (!conn.willFired || evicted) {
            write(conn);
        }
    }

    /** End of capture: the fired wills. */
    void finish() {
        for (ArrayDeque<MqttConn> q : fired.values()) {
            for (MqttConn w : q) {
                if (w.endedBy != null) {
                    write(w);
                }
            }
        }
        fired.clear();
        firedOrder.clear();
        armed.clear();
    }

    private void write(MqttConn conn) {
        MqttMessage.Connect ct = conn.connect;
        MqttMessage.Will w = ct.will();
        out.begin().set(T.stream, conn.tcp.index()).set(T.clientKey, conn.clientKey()).set(T.clientId, ct.clientId())
                .set(T.broker, conn.broker().address().toString()).set(T.brokerPort, conn.broker().port())
                .set(T.willTopic, w.topic()).set(T.willPayload, w.payload()).set(T.willPayloadText, w.payloadText())
                .set(T.willQos, w.qos()).set(T.willRetain, w.retain()).set(T.connectFrame, conn.connectFrame)
                .set(T.fired, conn.willFired).set(T.firedFrame, conn.willFired ? conn.willFiredFrame : null)
                .set(T.endedBy, conn.endedBy).set(T.deliveries, conn.willDeliveries).end();
    }

    private static boolean sameBytes(ByteView a, ByteView b) {
        if (a == null || b == null) {
            return a == null && (b == null || b.length() == 0) || b == null && a.length() == 0;
        }
        return a.equals(b);
    }
}
