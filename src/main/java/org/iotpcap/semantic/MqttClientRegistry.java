package org.iotpcap.semantic;

import java.util.LinkedHashMap;
import java.util.Map;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.semantic.tables.MqttClients;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * MQTT clients (SEED-QUESTIONS "MQTT client"): two connections with the same client identifier to the same broker
 * (address and port) are one client; written to {@code mqtt_clients} at the end of the capture. At most
 * {@code max} clients are held; connections of further clients are counted in a {@code semantic/mqtt_client_limit}
 * diagnostic and have no {@code mqtt_clients} row.
 */
final class MqttClientRegistry {
    private static final MqttClients T = MqttClients.T;

    private static final class Client {
        final String clientId;
        final String endpoint;
        int connections;
        long firstFrame;
        long lastFrame;

        Client(String clientId, String endpoint, long first, long last) {
            this.clientId = clientId;
            this.endpoint = endpoint;
            this.firstFrame = first;
            this.lastFrame = last;
        }
    }

    private final RowWriter out;
    private final int max;
    private final Diagnostics diagnostics;
    private final Map<BrokerKey, Client> clients = new LinkedHashMap<>();
    private long dropped;

    MqttClientRegistry(RowWriter out, int max, Diagnostics diagnostics) {
        this.out = out;
        this.max = max;
        this.diagnostics = diagnostics;
    }

    void ended(MqttConn conn) {
        BrokerKey key = new BrokerKey(conn.broker(), conn.clientKey());
        Client c = clients.get(key);
        if (c == null) {
            if (clients.size() >= max) {
                if (dropped++ == 0) {
                    diagnostics.report(conn.tcp.lastFrame(), Layer.SEMANTIC, "mqtt_client_limit", "MQTT clients ("
                            + (max + 1) + ") exceed limit (" + max + "): further clients have no mqtt_clients row");
                }
                return;
            }
            c = new Client(conn.clientId(), conn.tcp.client().toString(), conn.tcp.firstFrame(), conn.tcp.lastFrame());
            clients.put(key, c);
        }
        c.connections++;
        c.firstFrame = Math.min(c.firstFrame, conn.tcp.firstFrame());
        c.lastFrame = Math.max(c.lastFrame, conn.tcp.lastFrame());
    }

    void finish() {
        for (Map.Entry<BrokerKey, Client> e : clients.entrySet()) {
            Client c = e.getValue();
            Endpoint broker = e.getKey().broker();
            out.begin().set(T.clientKey, e.getKey().name()).set(T.clientId, c.clientId)
                    .set(T.broker, broker.address().toString()).set(T.brokerPort, broker.port())
                    .set(T.endpoint, c.clientId == null ? c.endpoint : null).set(T.connections, c.connections)
                    .set(T.firstFrame, c.firstFrame).set(T.lastFrame, c.lastFrame).end();
        }
        clients.clear();
    }
}
