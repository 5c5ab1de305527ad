package org.iotpcap.dissect.mqtt;

/** The data representation of an MQTT 5.0 property value (5.0 §1.5 and §2.2.2.2). */
public enum MqttPropertyType {
    BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, BINARY_DATA, UTF8_STRING_PAIR
}
