package org.iotpcap.dissect.mqtt.decode;

import org.iotpcap.bytes.Limits;

import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;
import org.iotpcap.dissect.mqtt.MqttFixedHeader;
import org.iotpcap.dissect.mqtt.MqttPacketType;
import org.iotpcap.dissect.mqtt.MqttVersion;
import org.iotpcap.dissect.mqtt.v311.Mqtt311Decoder;
import org.iotpcap.dissect.mqtt.v5.Mqtt5Decoder;

/**
 * The protocol level of a connection whose CONNECT is not in the capture, inferred from a packet that only one
 * version can parse. The packet is decoded with the 3.1.1 rules at level 4 (fixed-header flags checked as
 * 3.1.1 §2.2.2 fixes them) and with the 5.0 rules; when exactly one succeeds, that is the level. Examples: a
 * CONNACK with a Remaining Length above 2 (5.0 §3.2.2.3 properties; 3.1.1 §3.2.1 fixes the length at 2), an
 * acknowledgement with a reason code (5.0 §3.4.2.1), an AUTH (type 15, 5.0 only), a PUBLISH whose payload
 * does not read as a 5.0 property list (3.1.1 only). Packets both versions parse (PINGREQ, a CONNACK of 2
 * bytes, most acknowledgements) decide nothing. MQTT 3.1 and 3.1.1 cannot be told apart without the CONNECT;
 * 3.1.1 is inferred for both.
 */
public final class MqttLevelInference {
    private MqttLevelInference() {}

    /**
     * @param h the packet's fixed header
     * @param packet exactly the packet
     * @return {@link MqttVersion#V311} or {@link MqttVersion#V5} when only that version parses the packet, else
     *     {@link MqttVersion#UNKNOWN} (both parse it, neither does, or it is a CONNECT, which names its own level)
     */
    public static int onlyLevel(MqttFixedHeader h, ByteView packet, Limits.Mqtt limits) {
        if (h.type() == MqttPacketType.CONNECT) {
            return MqttVersion.UNKNOWN;
        }
        boolean v311 = Mqtt311Decoder.decode(h, packet, MqttVersion.V311, false, limits)
                instanceof DecodeResult.Decoded<?>;
        boolean v5 = Mqtt5Decoder.decode(h, packet, false, limits) instanceof DecodeResult.Decoded<?>;
        if (v311 == v5) {
            return MqttVersion.UNKNOWN;
        }
        return v5 ? MqttVersion.V5 : MqttVersion.V311;
    }
}
