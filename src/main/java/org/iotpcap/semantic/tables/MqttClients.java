package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/** The {@code mqtt_clients} table: one row per client identity: the CONNECT's client identifier and the broker (address and port); where the CONNECT is not in the capture or the identifier is empty, the connection's client endpoint (`ip:port`) stands for the client. */
public final class MqttClients extends TableDeclaration {
    public static final MqttClients T = new MqttClients();

    public final Column.Text clientKey = text("client_key", "the identifier, or the endpoint");
    public final Column.Text clientId = text("client_id", "the identifier (null for endpoint clients)");
    public final Column.Text broker = text("broker", "broker address");
    public final Column.Int32 brokerPort = int32("broker_port", "broker port");
    public final Column.Text endpoint = text("endpoint", "the client endpoint that stands for the client (endpoint clients only)");
    public final Column.Int32 connections = int32("connections", "connections of this client to this broker");
    public final Column.Int64 firstFrame = int64("first_frame", "first frame of its first connection");
    public final Column.Int64 lastFrame = int64("last_frame", "last frame of its last connection");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private MqttClients() {
        super("mqtt_clients", "One row per client identity: the CONNECT's client identifier and the broker (address and port); where the CONNECT is not in the capture or the identifier is empty, the connection's client endpoint (`ip:port`) stands for the client.");
    }
}
