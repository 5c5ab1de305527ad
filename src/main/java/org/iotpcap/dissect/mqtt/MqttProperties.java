package org.iotpcap.dissect.mqtt;

import java.util.List;

/** An MQTT 5.0 property list in wire order; empty before 5.0 or when the packet carries none. */
public record MqttProperties(List<MqttProperty> list) {
    public static final MqttProperties NONE = new MqttProperties(List.of());

    public MqttProperties {
        list = List.copyOf(list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    /** The first property with this id, or null. */
    public MqttProperty first(int id) {
        for (MqttProperty p : list) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    /** The Topic Alias (5.0 §3.3.2.3.4), or 0 when absent (0 is not a valid alias). */
    public int topicAlias() {
        MqttProperty p = first(Mqtt5PropertyId.TOPIC_ALIAS.id);
        return p == null ? 0 : (int) p.number();
    }
}
