package org.iotpcap.semantic;

import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * Turns decoded messages into the tables of docs/tables.md: every message as a row, plus the objects the
 * questions are about (DNS names, CoAP exchanges, MQTT connections, clients, subscriptions, deliveries and
 * wills). Streams: state is held only for what is still open, within documented limits.
 */
public final class SemanticModel implements MessageSink {
    private final ModelSink sink;
    private final DnsNames dns;
    private final CoapExchanges coap;
    private final MqttModel mqtt;

    public SemanticModel(ModelSink sink, boolean keepSecrets) {
        this.sink = sink;
        this.dns = new DnsNames(sink);
        this.coap = new CoapExchanges(sink);
        this.mqtt = new MqttModel(sink, keepSecrets);
    }

    @Override
    public void dns(MessageContext c, DnsMessage m) {
        dns.message(c, m);
    }

    @Override
    public void coap(MessageContext c, CoapMessage m) {
        coap.message(c, m);
    }

    @Override
    public void mqtt(MessageContext c, TcpConnection connection, MqttFramed m) {
        mqtt.message(c, connection, m);
    }

    @Override
    public void mqttEnd(TcpConnection connection) {
        mqtt.end(connection);
    }

    @Override
    public void mqttsn(MessageContext c, int index, MqttSnMessage m) {
        MqttSnRows.write(sink, c, index, m);
    }

    /** Writes what is known only at the end of the capture. Call after the engine has finished. */
    public void finish() {
        dns.finish();
        coap.finish();
        mqtt.finish();
    }
}
