package org.iotpcap.dissect.mqttsn;

/**
 * Input limits of the MQTT-SN decoder, with documented defaults ({@link #DEFAULTS}).
 *
 * @param maxMessagesPerDatagram messages decoded from one datagram (default 256); beyond it the rest of the
 *     datagram is reported as {@link MqttSnReason#TOO_MANY_MESSAGES}
 * @param maxEncapsulationDepth Forwarder Encapsulations nested in one another (default 4); deeper is
 *     {@link MqttSnReason#ENCAPSULATION_TOO_DEEP}
 * @param maxStoredDataBytes octets of a PUBLISH payload or Will message copied into the record (default
 *     65_535, the largest a message can hold); the true length is always kept in {@link MqttSnData#length()}
 */
public record MqttSnLimits(int maxMessagesPerDatagram, int maxEncapsulationDepth, int maxStoredDataBytes) {

    public static final MqttSnLimits DEFAULTS = new MqttSnLimits(256, 4, 65_535);

    public MqttSnLimits {
        if (maxMessagesPerDatagram < 1 || maxEncapsulationDepth < 0 || maxStoredDataBytes < 0) {
            throw new IllegalArgumentException("limits out of range: " + maxMessagesPerDatagram + ", "
                    + maxEncapsulationDepth + ", " + maxStoredDataBytes);
        }
    }
}
