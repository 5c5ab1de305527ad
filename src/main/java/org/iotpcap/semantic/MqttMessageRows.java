package org.iotpcap.semantic;

import java.util.List;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.mqtt.MqttFixedHeader;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttMessage;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.dissect.mqtt.v5.Mqtt5ReasonCodes;
import org.iotpcap.semantic.tables.MqttMessages;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * The {@code mqtt_messages} row of each MQTT control packet: the columns every packet has, then those of its type;
 * and its {@code mqtt_properties} rows, one per MQTT 5.0 property of the packet and of its will, values typed.
 * Passwords are written only with {@code keepSecrets}.
 */
final class MqttMessageRows {
    private static final MqttMessages T = MqttMessages.T;

    private static final org.iotpcap.semantic.tables.MqttProperties P = org.iotpcap.semantic.tables.MqttProperties.T;

    private final RowWriter out;
    private final RowWriter propertyRows;
    private final boolean keepSecrets;

    MqttMessageRows(RowWriter out, RowWriter propertyRows, boolean keepSecrets) {
        this.out = out;
        this.propertyRows = propertyRows;
        this.keepSecrets = keepSecrets;
    }

    void write(MessageContext c, TcpConnection tcp, MqttFramed f) {
        if (!out.enabled() && !propertyRows.enabled()) {
            return;
        }
        RowWriter w = out.begin().set(T.stream, tcp.index()).set(T.frame, f.startFrame()).set(T.endFrame, f.endFrame())
                .set(T.timeNs, f.startNanos()).set(T.endNs, f.endNanos()).set(T.direction, f.fromClient() ? "c2s" : "s2c")
                .set(T.src, c.src().address().toString()).set(T.srcPort, c.src().port())
                .set(T.dst, c.dst().address().toString()).set(T.dstPort, c.dst().port()).set(T.transport, c.transport())
                .set(T.protocolLevel, f.protocolLevel()).set(T.levelInferred, f.levelInferred())
                .set(T.streamOffset, f.streamOffset()).set(T.type, f.typeName()).set(T.length, f.totalLength())
                .set(T.remainingLength, f.remainingLength());
        MqttPacketType type = f.message().type();
        int flags = f.headerByte() & 0x0f;
        // the flags 3.1.1 table 2.2 and 5.0 table 2-2 fix alike; checked with the 5.0 rule, which has no 3.1 leniency
        w.set(T.headerFlags, flags);
        if (w.wants(T.headerFlagsValid)) {
            w.set(T.headerFlagsValid, new MqttFixedHeader(type, flags, f.remainingLength(), 0).validAt(MqttVersion.V5));
        }
        int level = f.protocolLevel();
        MqttProperties props = switch (f.message()) {
            case MqttMessage.Publish m -> {
                w.set(T.dup, m.dup()).set(T.qos, m.qos()).set(T.retain, m.retain())
                        .set(T.topic, m.topicName())
                        .set(T.payloadLength, m.payload() == null ? 0 : m.payload().length())
                        .set(T.payload, m.payload()).set(T.payloadText, w.wants(T.payloadText) ? m.payloadText() : null);
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
                    properties(c, tcp, f, "will", will.properties());
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
                w.set(T.sessionPresent, m.sessionPresent()).set(T.returnCode, m.code())
                        .set(T.reasonName, Mqtt5ReasonCodes.name(type, m.code(), level));
                yield m.properties();
            }
            case MqttMessage.Puback m -> ack(c, tcp, f, w, m.packetId(), m.reasonCode(), m.properties());
            case MqttMessage.Pubrec m -> ack(c, tcp, f, w, m.packetId(), m.reasonCode(), m.properties());
            case MqttMessage.Pubrel m -> ack(c, tcp, f, w, m.packetId(), m.reasonCode(), m.properties());
            case MqttMessage.Pubcomp m -> ack(c, tcp, f, w, m.packetId(), m.reasonCode(), m.properties());
            case MqttMessage.Subscribe m -> {
                StringBuilder fs = new StringBuilder();
                for (MqttMessage.Subscription s : m.subscriptions()) {
                    fs.append(fs.isEmpty() ? "" : ", ").append(s.filter()).append(" (qos ").append(s.qos()).append(')');
                }
                w.set(T.packetId, m.packetId()).set(T.filters, fs.toString()).set(T.filterCount, m.subscriptions().size());
                yield m.properties();
            }
            case MqttMessage.Suback m -> {
                w.set(T.packetId, m.packetId()).set(T.codes, join(m.codes()))
                        .set(T.codeNames, names(type, m.codes(), level));
                yield m.properties();
            }
            case MqttMessage.Unsubscribe m -> {
                w.set(T.packetId, m.packetId()).set(T.filters, String.join(", ", m.filters()))
                        .set(T.filterCount, m.filters().size());
                yield m.properties();
            }
            case MqttMessage.Unsuback m -> {
                w.set(T.packetId, m.packetId()).set(T.codes, join(m.codes()));
                if (level == MqttVersion.V5) {
                    w.set(T.codeNames, names(type, m.codes(), level));
                }
                yield m.properties();
            }
            case MqttMessage.Disconnect m -> reason(w, type, m.reasonCode(), level, m.properties());
            case MqttMessage.Auth m -> reason(w, type, m.reasonCode(), level, m.properties());
            default -> null;
        };
        if (props != null && !props.isEmpty()) {
            if (w.wants(T.properties)) {
                w.set(T.properties, properties(props));
            }
            properties(c, tcp, f, "packet", props);
        }
        w.end();
    }

    /**
     * Acknowledgements: packet identifier and reason code; their properties (5.0 §3.4.2.2: Reason String, User
     * Property) go to mqtt_properties only, the text column keeps leaving them out.
     */
    private MqttProperties ack(MessageContext c, TcpConnection tcp, MqttFramed f, RowWriter w, int packetId,
                               int reasonCode, MqttProperties props) {
        w.set(T.packetId, packetId);
        MqttPacketType type = f.message().type();
        reason(w, type, reasonCode, f.protocolLevel(), null);
        if (props != null && !props.isEmpty()) {
            properties(c, tcp, f, "packet", props);
        }
        return null;
    }

    private static MqttProperties reason(RowWriter w, MqttPacketType type, int reasonCode, int level,
                                         MqttProperties props) {
        if (reasonCode >= 0) {
            w.set(T.reasonCode, reasonCode).set(T.reasonName, Mqtt5ReasonCodes.name(type, reasonCode, level));
        }
        return props;
    }

    private static String names(MqttPacketType type, List<Integer> codes, int level) {
        StringBuilder sb = new StringBuilder();
        for (Integer code : codes) {
            sb.append(sb.isEmpty() ? "" : "; ").append(Mqtt5ReasonCodes.name(type, code, level));
        }
        return sb.toString();
    }

    /** One mqtt_properties row per property of {@code props}, its value in the column of its type (5.0 §2.2.2.2). */
    private void properties(MessageContext c, TcpConnection tcp, MqttFramed f, String scope, MqttProperties props) {
        if (!propertyRows.enabled()) {
            return;
        }
        int position = 0;
        for (MqttProperty p : props.list()) {
            RowWriter w = propertyRows.begin().set(P.stream, tcp.index()).set(P.direction, f.fromClient() ? "c2s" : "s2c")
                    .set(P.streamOffset, f.streamOffset()).set(P.frame, f.startFrame()).set(P.endFrame, f.endFrame())
                    .set(P.type, f.typeName()).set(P.scope, scope).set(P.position, position++).set(P.id, p.id())
                    .set(P.name, p.name()).set(P.valueType, org.iotpcap.bytes.EnumLabels.lower(p.type()));
            switch (p.type()) {
                case BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> w.set(P.number, p.number());
                case UTF8_STRING -> w.set(P.text, p.text());
                case BINARY_DATA -> w.set(P.binary, p.binary());
                case UTF8_STRING_PAIR -> w.set(P.key, p.text()).set(P.value, p.value());
            }
            w.end();
        }
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
