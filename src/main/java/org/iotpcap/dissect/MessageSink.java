package org.iotpcap.dissect;

import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;
import org.iotpcap.transport.tcp.TcpConnection;

/** Receives every decoded message, in the order the capture completes them. Defaults ignore. */
public interface MessageSink {
    default void dns(MessageContext c, DnsMessage m) {}

    default void coap(MessageContext c, CoapMessage m) {}

    /** One MQTT control packet of a connection; {@code c} names its direction's endpoints. */
    default void mqtt(MessageContext c, TcpConnection connection, MqttFramed m) {}

    /** An MQTT connection ended (its TCP connection closed, was reset, or the capture ended). */
    default void mqttEnd(TcpConnection connection) {}

    /** {@code index}: the message's place in its datagram (0 for the first). */
    default void mqttsn(MessageContext c, int index, MqttSnMessage m) {}

    MessageSink NONE = new MessageSink() {};
}
