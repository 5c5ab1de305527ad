package org.iotpcap.semantic.tables;

import java.util.List;
import org.iotpcap.table.TableDeclaration;

/** Every table of the model, in the order the database creates them (docs/tables.md follows it). */
public final class Tables {
    private Tables() {}

    public static final List<TableDeclaration> ALL = List.of(
            Frames.T, Malformed.T, TcpConnections.T, TlsConnections.T, DnsMessages.T, DnsAnswers.T, Names.T, CoapMessages.T,
            CoapExchanges.T, MqttMessages.T, MqttConnections.T, MqttClients.T, MqttSubscriptions.T, MqttDeliveries.T,
            MqttSnMessages.T, MqttWills.T, MqttProperties.T, CoapOptions.T, MqttQosFlows.T, CoapNotifications.T, CoapTransfers.T,
            MqttSessions.T, MqttRetained.T);

    /** The table of that SQL name, or null. */
    public static TableDeclaration byName(String name) {
        for (TableDeclaration t : ALL) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
