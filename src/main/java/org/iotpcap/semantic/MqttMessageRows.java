package org.iotpcap.semantic;

import java.util.List;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.semantic.tables.MqttMessages;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * The {@code mqtt_messages} row of each MQTT control packet: the columns every packet has, then those of its type.
 * Passwords are written only with {@code keepSecrets}.
 */
final class MqttMessageRows {
    private static final MqttMessages T = MqttMessages.T;

    private final RowWriter out;
    private final boolean keepSecrets;

    MqttMessageRows(RowWriter out, boolean keepSecrets) {
        this.out = out;
        this.keepSecrets = keepSecrets;
    }

    void write(MessageContext c, TcpConnection tcp, MqttFramed f) {
        RowWriter w = out.begin().set(T.stream, tcp.index()).set(T.frame, f.startFrame()).set(T.endFrame, f.endFrame())
                .set(T.timeNs, f.startNanos()).set(T.endNs, f.endNanos()).set(T.direction, f.fromClient() ? "c2s" : "s2c")
                .set(T.src, c.src().address().toString()).set(T.srcPort, c.src().port())
                .set(T.dst, c.dst().address().toString()).set(T.dstPort, c.dst().port())
                .set(T.protocolLevel, f.protocolLevel()).set(T.levelInferred, f.levelInferred()).set(T.type, f.typeName()).set(T.length, f.totalLength())
                .set(T.remainingLength, f.remainingLength());
        MqttProperties props = switch (f.message()) {
            case MqttMessage.Publish m -> {
                w.set(T.dup, m.dup()).set(T.qos, m.qos()).set(T.retain, m.retain())
                        .set(T.topic, m.resolvedTopic() != null ? m.resolvedTopic() : m.topic())
                        .set(T.payloadLength, m.payload() == null ? 0 : m.payload().length())
                        .set(T.payload, m.payload()).set(T.payloadText, m.payloadText());
                if (m.topicAlias() > 0) {
                    w.set(T.topicAlias, m.topicAlias());
                }
                if (m.qos() > 0) {
                    w.set(T.packetId, m.packetId());
                }
                yield m.properties();
            }
            case MqttMessage.Connect m -> {
                w.set(T.protocolName, m.protocolName()).set(T.clientId, m.clientId())
                        .set(T.cleanSession, m.cleanSession()).set(T.keepAlive, m.keepAliveSeconds())
                        .set(T.willFlag, m.willFlag()).set(T.username, m.username())
                        .set(T.passwordPresent, m.passwordPresent());
                MqttMessage.Will will = m.will();
                if (will != null) {
                    w.set(T.willQos, will.qos()).set(T.willRetain, will.retain()).set(T.willTopic, will.topic())
                            .set(T.willPayload, will.payload()).set(T.willPayloadText, will.payloadText());
                }
                if (m.passwordPresent()) {
                    w.set(T.passwordLength, m.passwordLength());
                }
                if (keepSecrets && m.password() != null) {
                    w.set(T.password, m.password().utf8(0, m.password().length()));
                }
                yield m.properties();
            }
            case MqttMessage.Connack m -> {
                w.set(T.sessionPresent, m.sessionPresent()).set(T.returnCode, m.code());
                yield m.properties();
            }
            case MqttMessage.Puback m -> ack(w, m.packetId(), m.reasonCode());
            case MqttMessage.Pubrec m -> ack(w, m.packetId(), m.reasonCode());
            case MqttMessage.Pubrel m -> ack(w, m.packetId(), m.reasonCode());
            case MqttMessage.Pubcomp m -> ack(w, m.packetId(), m.reasonCode());
            case MqttMessage.Subscribe m -> {
                StringBuilder fs = new StringBuilder();
                for (MqttMessage.Subscription s : m.subscriptions()) {
                    fs.append(fs.isEmpty() ? "" : ", ").append(s.filter()).append(" (qos ").append(s.qos()).append(')');
                }
                w.set(T.packetId, m.packetId()).set(T.filters, fs.toString()).set(T.filterCount, m.subscriptions().size());
                yield m.properties();
            }
            case MqttMessage.Suback m -> {
                w.set(T.packetId, m.packetId()).set(T.codes, join(m.codes()));
                yield m.properties();
            }
            case MqttMessage.Unsubscribe m -> {
                w.set(T.packetId, m.packetId()).set(T.filters, String.join(", ", m.filters()))
                        .set(T.filterCount, m.filters().size());
                yield m.properties();
            }
            case MqttMessage.Unsuback m -> {
                w.set(T.packetId, m.packetId()).set(T.codes, join(m.codes()));
                yield m.properties();
            }
            case MqttMessage.Disconnect m -> reason(w, m.reasonCode(), m.properties());
            case MqttMessage.Auth m -> reason(w, m.reasonCode(), m.properties());
            default -> null;
        };
        if (props != null && !props.isEmpty()) {
            w.set(T.properties, properties(props));
        }
        w.end();
    }

    /** Acknowledgements: packet identifier and reason code (their properties are not written). */
    private static MqttProperties ack(RowWriter w, int packetId, int reasonCode) {
        w.set(T.packetId, packetId);
        reason(w, reasonCode, null);
        return null;
    }

    private static MqttProperties reason(RowWriter w, int reasonCode, MqttProperties props) {
        if (reasonCode >= 0) {
            w.set(T.reasonCode, reasonCode);
        }
        return props;
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
