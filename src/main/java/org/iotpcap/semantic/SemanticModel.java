package org.iotpcap.semantic;

import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.MessageSink;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;
import org.iotpcap.semantic.tables.MqttSnMessages;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import org.iotpcap.transport.tcp.TcpConnection;

/**
 * Turns decoded messages into the tables of docs/tables.md (declared in {@code org.iotpcap.semantic.tables}): every
 * message as a row, plus the objects the questions are about (DNS names, CoAP exchanges, MQTT connections, clients,
 * subscriptions, deliveries and wills). Streams: state is held only for what can still change, within
 * {@link Limits.Semantic}; a limit reached is reported to the diagnostics.
 */
public final class SemanticModel implements MessageSink {
    private final DnsNames dns;
    private final CoapExchanges coap;
    private final MqttModel mqtt;
    private final RowWriter mqttsn;

    public SemanticModel(TableSink sink, boolean keepSecrets, Limits.Semantic limits, Diagnostics diagnostics) {
        this.dns = new DnsNames(sink, limits.dnsMaxNames(), diagnostics);
        this.coap = new CoapExchanges(sink, limits, diagnostics);
        this.mqtt = new MqttModel(sink, keepSecrets, limits, diagnostics);
        this.mqttsn = sink.writer(MqttSnMessages.T);
    }

    /** With the default limits, limits reached not reported: for tests and tools. */
    public SemanticModel(TableSink sink, boolean keepSecrets) {
        this(sink, keepSecrets, Limits.Semantic.DEFAULTS, Diagnostics.IGNORE);
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
    public void mqtt(MessageContext c, TcpConnection connection, MqttFramed f) {
        mqtt.message(c, connection, f);
    }

    @Override
    public void mqttEnd(TcpConnection connection) {
        mqtt.end(connection);
    }

    @Override
    public void mqttsn(MessageContext c, int index, MqttSnMessage m) {
        MqttSnRows.write(mqttsn, c, index, m);
    }

    /** Writes what is known only at the end of the capture. Call after the engine has finished. */
    public void finish() {
        dns.finish();
        coap.finish();
        mqtt.finish();
    }
}
