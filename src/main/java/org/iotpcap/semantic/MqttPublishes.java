package org.iotpcap.semantic;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.transport.Endpoint;

/**
 * The clients' PUBLISHes to each broker, remembered so that each delivery of the broker names the PUBLISH it
 * forwards: the latest one before it to the same broker with the same topic and payload (payloads are compared by
 * length and a 64-bit FNV-1a hash, so none is kept). At most {@code max} are remembered; beyond it the oldest is
 * forgotten, with one {@code semantic/mqtt_publish_limit} diagnostic for the run.
 */
final class MqttPublishes {
    /** One client PUBLISH: where it is in mqtt_messages (stream, frame, stream_offset) and who sent it. */
    record Pub(BrokerKey key, long stream, long frame, long offset, String clientKey, long hash, int length) {}

    private final int max;
    private final Diagnostics diagnostics;
    private final Map<BrokerKey, ArrayDeque<Pub>> byTopic = new HashMap<>();
    private final ArrayDeque<Pub> order = new ArrayDeque<>();
    private boolean reported;

    MqttPublishes(int max, Diagnostics diagnostics) {
        this.max = max;
        this.diagnostics = diagnostics;
    }

    void publish(Endpoint broker, String topic, long stream, long frame, long offset, String clientKey, ByteView payload) {
        if (topic == null || topic.isEmpty()) {
            return;
        }
        BrokerKey k = new BrokerKey(broker, topic);
        Pub p = new Pub(k, stream, frame, offset, clientKey, hash(payload), length(payload));
        byTopic.computeIfAbsent(k, x -> new ArrayDeque<>()).addLast(p);
        order.addLast(p);
        if (order.size() > max) {
            Pub old = order.pollFirst();
            ArrayDeque<Pub> q = byTopic.get(old.key());
            q.pollFirst(); // a topic's PUBLISHes are in the global order too: its oldest is the one forgotten
            if (q.isEmpty()) {
                byTopic.remove(old.key());
            }
            if (!reported) {
                reported = true;
                diagnostics.report(frame, Layer.SEMANTIC, "mqtt_publish_limit", "client PUBLISHes remembered ("
                        + (max + 1) + ") exceed limit (" + max + "): deliveries of the oldest name no source");
            }
        }
    }

    /** The PUBLISH a delivery of {@code topic} and {@code payload} at {@code frame} forwards, or null. */
    Pub source(Endpoint broker, String topic, ByteView payload, long frame) {
        ArrayDeque<Pub> q = topic == null ? null : byTopic.get(new BrokerKey(broker, topic));
        if (q == null) {
            return null;
        }
        long h = hash(payload);
        int len = length(payload);
        for (Iterator<Pub> it = q.descendingIterator(); it.hasNext(); ) {
            Pub p = it.next();
            if (p.frame() <= frame && p.hash() == h && p.length() == len) {
                return p;
            }
        }
        return null;
    }

    static int length(ByteView payload) {
        return payload == null ? 0 : payload.length();
    }

    /** FNV-1a, 64 bits, over the payload's bytes. */
    static long hash(ByteView payload) {
        long h = 0xcbf29ce484222325L;
        int n = length(payload);
        for (int i = 0; i < n; i++) {
            h = (h ^ payload.u8(i)) * 0x100000001b3L;
        }
        return h;
    }
}
