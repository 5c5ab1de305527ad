package org.iotpcap.semantic;

import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * MQTT QoS 1 and 2 delivery flows (MQTT 3.1.1 section 4.3, 5.0 section 4.3), per connection and direction:
 * a PUBLISH with its PUBACK, or with PUBREC, PUBREL and PUBCOMP, matched by packet identifier. A flow is
 * written to {@code mqtt_qos_flows} when it completes, when a new PUBLISH (not a DUP copy) reuses its packet
 * identifier, or when its connection ends, saying after which step it stopped.
 */
final class MqttQosFlows {
    /** equals and hashCode written out, as in {@link org.iotpcap.ip.IpAddress}. */
    private record Key(long stream, boolean fromClient, int packetId) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.stream == stream && k.packetId == packetId && k.fromClient == fromClient;
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(stream) * 31 + packetId) * 2 + (fromClient ? 1 : 0);
        }
    }

    private static final class Flow {
        final TcpConnection tcp;
        final String clientKey;
        final boolean fromClient;
        final MqttMessage.Publish publish;
        final long publishFrame;
        final long publishNanos;
        int dupCopies;
        Long puback;
        Long pubrec;
        Long pubrel;
        Long pubcomp;

        Flow(TcpConnection tcp, String clientKey, boolean fromClient, MqttMessage.Publish publish, long frame, long nanos) {
            this.tcp = tcp;
            this.clientKey = clientKey;
            this.fromClient = fromClient;
            this.publish = publish;
            this.publishFrame = frame;
            this.publishNanos = nanos;
        }

        boolean complete() {
            return publish.qos() == 1 ? puback != null : pubcomp != null;
        }

        String stoppedAfter() {
            if (complete()) {
                return null;
            }
            if (publish.qos() == 1) {
                return "publish";
            }
            return pubrel != null ? "pubrel" : pubrec != null ? "pubrec" : "publish";
        }
    }

    private final RowWriter flows;
    private final Map<Key, Flow> open = new HashMap<>();

    MqttQosFlows(TableSink sink) {
        this.flows = sink.writer(org.iotpcap.semantic.tables.MqttQosFlows.T);
    }

    void message(TcpConnection tcp, String clientKey, MqttFramed f) {
        long stream = tcp.index();
        boolean from = f.fromClient();
        switch (f.message()) {
            case MqttMessage.Publish p when p.qos() == 1 || p.qos() == 2 -> {
                Key k = new Key(stream, from, p.packetId());
                Flow old = open.get(k);
                if (old != null && p.dup() && old.pubrec == null && old.puback == null) {
                    old.dupCopies++;
                    return;
                }
                if (old != null) {
                    write(open.remove(k));
                }
                open.put(k, new Flow(tcp, clientKey, from, p, f.endFrame(), f.endNanos()));
            }
            case MqttMessage.Puback a -> step(new Key(stream, !from, a.packetId()), 1, f.endFrame(), 0);
            case MqttMessage.Pubrec a -> step(new Key(stream, !from, a.packetId()), 2, f.endFrame(), 1);
            case MqttMessage.Pubrel a -> step(new Key(stream, from, a.packetId()), 2, f.endFrame(), 2);
            case MqttMessage.Pubcomp a -> step(new Key(stream, !from, a.packetId()), 2, f.endFrame(), 3);
            default -> { }
        }
    }

    /** step: 0 PUBACK, 1 PUBREC, 2 PUBREL, 3 PUBCOMP; only the first of each is kept. */
    private void step(Key k, int qos, long frame, int step) {
        Flow fl = open.get(k);
        if (fl == null || fl.publish.qos() != qos) {
            return;
        }
        switch (step) {
            case 0 -> fl.puback = fl.puback == null ? frame : fl.puback;
            case 1 -> fl.pubrec = fl.pubrec == null ? frame : fl.pubrec;
            case 2 -> fl.pubrel = fl.pubrel == null ? frame : fl.pubrel;
            default -> fl.pubcomp = fl.pubcomp == null ? frame : fl.pubcomp;
        }
        if (fl.complete()) {
            write(open.remove(k));
        }
    }

    /** The connection ended: its open flows stopped where they are. */
    void end(TcpConnection tcp) {
        List<Key> keys = new ArrayList<>();
        for (Key k : open.keySet()) {
            if (k.stream() == tcp.index()) {
                keys.add(k);
            }
        }
        keys.sort((a, b) -> Long.compare(open.get(a).publishFrame, open.get(b).publishFrame));
        for (Key k : keys) {
            write(open.remove(k));
        }
    }

    private void write(Flow fl) {
        var sender = fl.fromClient ? fl.tcp.client() : fl.tcp.server();
        var receiver = fl.fromClient ? fl.tcp.server() : fl.tcp.client();
        MqttMessage.Publish p = fl.publish;
        var t = org.iotpcap.semantic.tables.MqttQosFlows.T;
        flows.begin().set(t.stream, fl.tcp.index()).set(t.direction, fl.fromClient ? "c2s" : "s2c")
                .set(t.sender, sender.address().toString()).set(t.senderPort, sender.port())
                .set(t.receiver, receiver.address().toString()).set(t.receiverPort, receiver.port())
                .set(t.clientKey, fl.clientKey).set(t.broker, fl.tcp.server().address().toString())
                .set(t.brokerPort, fl.tcp.server().port()).set(t.packetId, p.packetId()).set(t.qos, p.qos())
                .set(t.topic, p.topicName()).set(t.retain, p.retain())
                .set(t.dupCopies, fl.dupCopies).set(t.publishFrame, fl.publishFrame).set(t.publishNs, fl.publishNanos)
                .set(t.pubackFrame, fl.puback).set(t.pubrecFrame, fl.pubrec).set(t.pubrelFrame, fl.pubrel)
                .set(t.pubcompFrame, fl.pubcomp).set(t.complete, fl.complete()).set(t.stoppedAfter, fl.stoppedAfter())
                .end();
    }
}
