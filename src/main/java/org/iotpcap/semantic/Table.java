package org.iotpcap.semantic;

import java.util.Locale;

/** The tables of the semantic model (schema and meaning of each column: docs/tables.md). */
public enum Table {
    FRAMES, MALFORMED, TCP_CONNECTIONS, DNS_MESSAGES, DNS_ANSWERS, NAMES, COAP_MESSAGES, COAP_EXCHANGES,
    MQTT_MESSAGES, MQTT_CONNECTIONS, MQTT_CLIENTS, MQTT_SUBSCRIPTIONS, MQTT_DELIVERIES, MQTT_WILLS, MQTT_QOS_FLOWS,
    COAP_NOTIFICATIONS, COAP_TRANSFERS, MQTTSN_MESSAGES;

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
