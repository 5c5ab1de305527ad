package org.iotpcap.dissect.mqtt;

import org.iotpcap.bytes.ByteView;

/**
 * One MQTT 5.0 property (5.0 §2.2.2.2). Which value fields are set depends on {@link #type()}: numbers in
 * {@code number}, UTF-8 strings in {@code text}, string pairs in {@code text} (name) and {@code value},
 * binary data in {@code binary}.
 *
 * @param id the property identifier (e.g. 0x23 Topic Alias)
 * @param name the spec's name ("Topic Alias"), or "Unknown"
 */
public record MqttProperty(int id, String name, MqttPropertyType type, long number, String text, String value,
                           ByteView binary) {}
