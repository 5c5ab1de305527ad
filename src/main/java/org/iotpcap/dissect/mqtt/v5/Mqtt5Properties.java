package org.iotpcap.dissect.mqtt.v5;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.mqtt.Mqtt5PropertyId;
import org.iotpcap.dissect.mqtt.MqttProperties;
import org.iotpcap.dissect.mqtt.MqttProperty;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.internal.MqttReader;

/**
 * Reads an MQTT 5.0 property list (§2.2.2): a Variable Byte Integer Property Length, then properties, each a
 * Variable Byte Integer identifier and a value of the identifier's type.
 *
 * <pre>
 * +-----------------+------+---------+------+---------+ ...
 * | Property Length | id 1 | value 1 | id 2 | value 2 |
 * +-----------------+------+---------+------+---------+ ...
 * </pre>
 *
 * Rejected, as the spec says: a length beyond the packet or a value beyond the length (Malformed Packet), an
 * identifier the spec does not define, a property not allowed in the packet, a repeated property other than
 * User Property (and Subscription Identifier in PUBLISH), and the out-of-range values the spec names as
 * Protocol Errors (Topic Alias 0, Subscription Identifier 0, Receive Maximum 0, Maximum Packet Size 0, a byte
 * flag other than 0 or 1). Decodes at most {@link Limits.Mqtt#maxProperties()} properties.
 */
public final class Mqtt5Properties {
    private Mqtt5Properties() {}

    /**
     * @param contextBit a {@link Mqtt5PropertyId.Ctx} bit: the packet type, or WILL for Will Properties
     * @return the properties, or null after recording the failure in {@code r}
     */
    public static MqttProperties read(MqttReader r, int contextBit, Limits.Mqtt limits) {
        int lenOffset = r.pos();
        int len = r.varint("Property Length");
        if (!r.ok()) {
            return null;
        }
        if (len == 0) {
            return MqttProperties.NONE;
        }
        if (len > r.remaining()) {
            r.fail(MqttReason.BAD_PROPERTY_LENGTH, lenOffset, "Property Length " + len + " exceeds the "
                    + r.remaining() + " bytes left in the packet");
            return null;
        }
        int oldEnd = r.limitTo(r.pos() + len, MqttReason.BAD_PROPERTY_LENGTH);
        List<MqttProperty> out = new ArrayList<>();
        long seen = 0;
        while (r.ok() && r.remaining() > 0) {
            int at = r.pos();
            int id = r.varint("Property Identifier");
            if (!r.ok()) {
                break;
            }
            Mqtt5PropertyId p = Mqtt5PropertyId.of(id);
            if (p == null) {
                r.fail(MqttReason.UNKNOWN_PROPERTY, at, String.format("property identifier 0x%02x", id));
                break;
            }
            if (!p.allowedIn(contextBit)) {
                r.fail(MqttReason.PROPERTY_NOT_ALLOWED, at, p.label + " is not allowed here (§2.2.2.2)");
                break;
            }
            boolean repeatable = p == Mqtt5PropertyId.USER_PROPERTY
                    || (p == Mqtt5PropertyId.SUBSCRIPTION_IDENTIFIER
                    && contextBit == Mqtt5PropertyId.Ctx.PUBLISH);
            if (!repeatable && (seen & (1L << id)) != 0) {
                r.fail(MqttReason.DUPLICATE_PROPERTY, at, p.label + " appears more than once (Protocol Error)");
                break;
            }
            seen |= 1L << id;
            if (out.size() >= limits.maxProperties()) {
                r.fail(MqttReason.TOO_MANY_ITEMS, at, "properties (" + (out.size() + 1) + ") exceed limit ("
                        + limits.maxProperties() + ")");
                break;
            }
            MqttProperty prop = value(r, p, at);
            if (prop == null) {
                break;
            }
            out.add(prop);
        }
        if (!r.ok()) {
            r.restoreEnd(oldEnd);
            return null;
        }
        r.restoreEnd(oldEnd);
        return new MqttProperties(out);
    }

    private static MqttProperty value(MqttReader r, Mqtt5PropertyId p, int at) {
        long n = 0;
        String text = null;
        String value = null;
        ByteView bin = null;
        String what = p.label;
        switch (p.type) {
            case BYTE -> n = r.u8(what);
            case TWO_BYTE_INTEGER -> n = r.u16(what);
            case FOUR_BYTE_INTEGER -> n = r.u32(what);
            case VARIABLE_BYTE_INTEGER -> n = r.varint(what);
            case UTF8_STRING -> text = r.utf8(what);
            case BINARY_DATA -> bin = r.binary(what);
            case UTF8_STRING_PAIR -> {
                text = r.utf8(what + " name");
                value = r.utf8(what + " value");
            }
        }
        if (!r.ok()) {
            // a value running past the Property Length is the "length beyond" case of §2.2.2.1
            return null;
        }
        boolean bad = switch (p) {
            case TOPIC_ALIAS, SUBSCRIPTION_IDENTIFIER, RECEIVE_MAXIMUM, MAXIMUM_PACKET_SIZE -> n == 0;
            case REQUEST_PROBLEM_INFORMATION, REQUEST_RESPONSE_INFORMATION, MAXIMUM_QOS,
                 RETAIN_AVAILABLE, WILDCARD_SUBSCRIPTION_AVAILABLE, SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                 SHARED_SUBSCRIPTION_AVAILABLE -> n > 1;
            default -> false;
        };
        if (bad) {
            r.fail(MqttReason.BAD_PROPERTY_VALUE, at, p.label + " has value " + n + " (Protocol Error)");
            return null;
        }
        return new MqttProperty(p.id, p.label, p.type, n, text, value, bin);
    }
}
