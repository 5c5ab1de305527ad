package org.iotpcap.dissect.mqtt;

/**
 * Input limits of the MQTT decoder, with their defaults. A limit that is hit is reported through
 * {@link MqttSink#onMalformed} as "X (n) exceeds limit (m)"; none is silent.
 *
 * @param maxPacketBytes largest control packet (fixed header included) buffered by the framer. Default
 *     16 MiB: the protocol allows 256 MiB (Remaining Length up to
 *     {@link MqttVariableByteInteger#MAX_VALUE} = 268,435,455), which no IoT capture needs, and
 *     one buffer of that size per direction of every connection would be an easy way to exhaust memory. A
 *     packet declaring more makes the rest of that direction undecodable (reported once, before any allocation).
 * @param maxProperties MQTT 5.0 properties accepted in one property list (default 1024)
 * @param maxTopicFilters topic filters accepted in one SUBSCRIBE or UNSUBSCRIBE (default 4096)
 * @param maxTopicAliases topic aliases remembered per direction of a connection (default 1024); an alias
 *     beyond it is not remembered (counted by
 *     {@link org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder#aliasesDropped()})
 */
public record MqttLimits(int maxPacketBytes, int maxProperties, int maxTopicFilters, int maxTopicAliases) {

    public static final MqttLimits DEFAULTS = new MqttLimits(16 * 1024 * 1024, 1024, 4096, 1024);

    public MqttLimits {
        if (maxPacketBytes < 2 || maxProperties < 0 || maxTopicFilters < 1 || maxTopicAliases < 0) {
            throw new IllegalArgumentException("MQTT limits out of range: " + this);
        }
    }
}
