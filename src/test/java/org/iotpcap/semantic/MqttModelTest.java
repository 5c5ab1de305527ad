package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.MqttPackets.connack;
import static org.iotpcap.testing.MqttPackets.connect;
import static org.iotpcap.testing.MqttPackets.disconnect;
import static org.iotpcap.testing.MqttPackets.disconnect5;
import static org.iotpcap.testing.MqttPackets.pingreq;
import static org.iotpcap.testing.MqttPackets.publish;
import static org.iotpcap.testing.MqttPackets.publish5;
import static org.iotpcap.testing.MqttPackets.subscribe;
import static org.iotpcap.testing.MqttPackets.suback;
import static org.iotpcap.testing.MqttPackets.unsubscribe;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.testing.MqttPackets;
import org.iotpcap.testing.Packets;
import org.iotpcap.testing.RawPcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT tables (clients, subscriptions, deliveries, wills) from small pcaps of MQTT packets written here,
 * loaded by {@link CaptureLoader} into an in-memory database and read back with SQL. Expected values come from
 * the bytes written (SEED-QUESTIONS.md definitions; MQTT 3.1.1 sections 3.1.2.5, 3.8.4, 3.10.4, 4.7; 5.0 3.14.2.1).
 */
class MqttModelTest {
    private static final String BROKER = "10.0.0.100";
    private static final String BROKER2 = "10.0.0.101";

    @TempDir
    Path dir;

    private List<List<Object>> query(RawPcap pcap, String sql) throws Exception {
        return PcapRows.query(pcap, dir, sql);
    }

    private static List<Object> row(Object... values) {
        return PcapRows.row(values);
    }

    @Test
    void client_identity() throws Exception {
        RawPcap p = new RawPcap();
        // alice connects twice to BROKER (a reconnect), once to BROKER2
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connect("alice")).server(connack(4))
                .client(disconnect()).close();
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connect("alice")).server(connack(4))
                .client(disconnect()).close();
        p.tcp("10.0.0.1", 40003, BROKER2, 1883).handshake().client(connect("alice")).server(connack(4)).close();
        // an empty client identifier: the connection's client endpoint stands for the client
        p.tcp("10.0.0.2", 40004, BROKER, 1883).handshake().client(connect("")).server(connack(4)).close();
        // a connection whose CONNECT is not in the capture (no handshake, starts with a PINGREQ)
        p.tcp("10.0.0.3", 40005, BROKER, 1883).client(pingreq()).server(publish("t/x", "1")).rst(true);
        List<List<Object>> clients = query(p, "SELECT client_key, client_id, broker, broker_port, endpoint, connections "
                + "FROM mqtt_clients ORDER BY client_key, broker");
        assertThat(clients).containsExactly(
                row("10.0.0.2:40004", null, BROKER, 1883, "10.0.0.2:40004", 1),
                row("10.0.0.3:40005", null, BROKER, 1883, "10.0.0.3:40005", 1),
                row("alice", "alice", BROKER, 1883, null, 2),
                row("alice", "alice", BROKER2, 1883, null, 1));
        List<List<Object>> conns = query(p, "SELECT client_port, client_key, client_id, ended_by FROM mqtt_connections "
                + "ORDER BY client_port");
        assertThat(conns).containsExactly(
                row(40001, "alice", "alice", "disconnect"),
                row(40002, "alice", "alice", "disconnect"),
                row(40003, "alice", "alice", "tcp_close"),
                row(40004, "10.0.0.2:40004", "", "tcp_close"),
                Arrays.asList(40005L, "10.0.0.3:40005", null, "rst"));
    }

    @Test
    void subscriptions_added_replaced_unsubscribed_ended_and_deliveries_matched_level_by_level() throws Exception {
        RawPcap p = new RawPcap();
        RawPcap.Tcp c = p.tcp("10.0.0.1", 40010, BROKER, 1883).handshake().client(connect("bob")).server(connack(4));
        int early = p.nextFrame();
        c.server(publish("a/b", "before any subscription"));
        int sub1 = p.nextFrame();
        c.client(subscribe(1, 0, "a/b", "c/#")).server(suback(1, 0x00, 0x80)); // c/# refused
        int sub2 = p.nextFrame();
        c.client(subscribe(2, 1, "a/b")).server(suback(2, 0x01)); // replaces a/b (3.8.4)
        int unsub = p.nextFrame();
        c.client(unsubscribe(3, "c/#")).server(new byte[] {(byte) 0xB0, 0x02, 0x00, 0x03});
        int sub3 = p.nextFrame();
        c.client(subscribe(4, 0, "x/+", "#")).server(suback(4, 0x00, 0x00));
        int d1 = p.nextFrame();
        c.server(publish("a/b", "1"));      // a/b exactly, and #
        int d2 = p.nextFrame();
        c.server(publish("x/y", "2"));      // x/+ and #
        int d3 = p.nextFrame();
        c.server(publish("x/y/z", "3"));    // # only: + is one level
        int d4 = p.nextFrame();
        c.server(publish("a/bb", "4"));     // # only: levels compare whole
        int d5 = p.nextFrame();
        c.server(publish("$SYS/x", "5"));   // nothing: # does not match $ topics (4.7.2)
        c.client(disconnect());
        int end = p.nextFrame();
        c.close();
        List<List<Object>> subs = query(p, "SELECT filter, qos, wildcard, packet_id, subscribe_frame, suback_code, granted, "
                + "removed_frame, removed_by FROM mqtt_subscriptions ORDER BY subscribe_frame, filter");
        long last = end + 1; // client FIN, then the server's FIN ends the connection (the last ACK comes after)
        assertThat(subs).containsExactlyInAnyOrder(
                row("a/b", 0, "none", 1, sub1, 0, true, sub2, "replaced"),
                row("c/#", 0, "#", 1, sub1, 0x80, false, unsub, "unsubscribe"),
                row("a/b", 1, "none", 2, sub2, 1, true, last, "connection_end"),
                row("#", 0, "#", 4, sub3, 0, true, last, "connection_end"),
                row("x/+", 0, "+", 4, sub3, 0, true, last, "connection_end"));
        List<List<Object>> deliveries = query(p, "SELECT frame, topic, client_key, matching_filters, matches, exact_match, "
                + "wildcard_match, is_will FROM mqtt_deliveries ORDER BY frame");
        assertThat(deliveries).containsExactly(
                Arrays.asList((long) early, "a/b", "bob", null, 0L, false, false, false),
                row(d1, "a/b", "bob", "a/b #", 2, true, true, false),
                row(d2, "x/y", "bob", "x/+ #", 2, false, true, false),
                row(d3, "x/y/z", "bob", "#", 1, false, true, false),
                row(d4, "a/bb", "bob", "#", 1, false, true, false),
                Arrays.asList((long) d5, "$SYS/x", "bob", null, 0L, false, false, false));
    }

    @Test
    void wills_fire_on_rst_fin_and_mqtt5_reason_4_but_not_on_disconnect() throws Exception {
        RawPcap p = new RawPcap();
        RawPcap.Tcp watcher = p.tcp("10.0.0.9", 41000, BROKER, 1883).handshake().client(connect("watcher"))
                .server(connack(4)).client(subscribe(1, 0, "w/one", "w/two", "w/three", "w/four", "w/#"))
                .server(suback(1, 0, 0, 0, 0, 0));
        RawPcap.Tcp other = p.tcp("10.0.0.9", 41001, BROKER2, 1883).handshake().client(connect("watcher2"))
                .server(connack(4)).client(subscribe(1, 0, "w/one")).server(suback(1, 0));
        RawPcap.Tcp dev1 = p.tcp("10.0.0.11", 42001, BROKER, 1883).handshake()
                .client(connect(4, "dev1", "w/one", "gone1", null, null)).server(connack(4));
        RawPcap.Tcp dev2 = p.tcp("10.0.0.12", 42002, BROKER, 1883).handshake()
                .client(connect(4, "dev2", "w/two", "gone2", null, null)).server(connack(4));
        RawPcap.Tcp dev3 = p.tcp("10.0.0.13", 42003, BROKER, 1883).handshake()
                .client(connect(4, "dev3", "w/three", "gone3", null, null)).server(connack(4));
        RawPcap.Tcp dev4 = p.tcp("10.0.0.14", 42004, BROKER, 1883).handshake()
                .client(connect(5, "dev4", "w/four", "gone4", null, null)).server(connack(5));
        int early = p.nextFrame();
        watcher.server(publish("w/one", "gone1"));   // same topic and payload, but before dev1's will fired
        int rst1 = p.nextFrame();
        dev1.rst(true);                                // dev1 ends without DISCONNECT: its will fires
        int fin2 = p.nextFrame();
        dev2.close();                                  // FIN without DISCONNECT: fires
        dev3.client(disconnect()).close();             // normal DISCONNECT: no will
        int disc4 = p.nextFrame();
        dev4.client(disconnect5(0x04)).close();        // MQTT 5 "Disconnect with Will Message": fires
        int w1 = p.nextFrame();
        watcher.server(publish("w/one", "gone1"));
        int w2 = p.nextFrame();
        watcher.server(publish("w/two", "gone2"));
        int w3 = p.nextFrame();
        watcher.server(publish("w/three", "gone3"));
        int w4 = p.nextFrame();
        watcher.server(publish("w/four", "gone4"));
        int w5 = p.nextFrame();
        watcher.server(publish("w/two", "not the will payload"));
        int o1 = p.nextFrame();
        other.server(publish("w/one", "gone1"));       // another broker: not dev1's will
        watcher.close();
        other.close();
        List<List<Object>> wills = query(p, "SELECT client_key, will_topic, will_payload_text, fired, fired_frame, ended_by, "
                + "deliveries FROM mqtt_wills ORDER BY client_key");
        assertThat(wills).containsExactly(
                row("dev1", "w/one", "gone1", true, rst1, "rst", 1),
                row("dev2", "w/two", "gone2", true, fin2, "tcp_close", 1),
                Arrays.asList("dev3", "w/three", "gone3", false, null, "disconnect", 0L),
                row("dev4", "w/four", "gone4", true, disc4, "disconnect", 1));
        List<List<Object>> deliveries = query(p, "SELECT frame, client_key, topic, is_will, will_client_key, exact_match "
                + "FROM mqtt_deliveries ORDER BY frame");
        assertThat(deliveries).containsExactly(
                Arrays.asList((long) early, "watcher", "w/one", false, null, true),
                row(w1, "watcher", "w/one", true, "dev1", true),
                row(w2, "watcher", "w/two", true, "dev2", true),
                Arrays.asList((long) w3, "watcher", "w/three", false, null, true),
                row(w4, "watcher", "w/four", true, "dev4", true),
                Arrays.asList((long) w5, "watcher", "w/two", false, null, true),
                Arrays.asList((long) o1, "watcher2", "w/one", false, null, true));
    }

    /** 3.1.1 3.2.2.3 / 3.1.4: a refused CONNECT establishes no session, so its will is never published. */
    @Test
    void a_refused_connect_has_no_will_to_fire() throws Exception {
        RawPcap p = new RawPcap();
        RawPcap.Tcp w = p.tcp("10.0.0.9", 41000, BROKER, 1883).handshake().client(connect("watcher"))
                .server(connack(4)).client(subscribe(1, 0, "w/refused")).server(suback(1, 0));
        p.tcp("10.0.0.15", 42005, BROKER, 1883).handshake()
                .client(connect(4, "dev5", "w/refused", "gone5", null, null))
                .server(new byte[] {0x20, 0x02, 0x00, 0x05}) // CONNACK: refused, not authorized
                .fin(false).fin(true);
        w.server(publish("w/refused", "gone5")); // not a will: nothing fired
        w.close();
        assertThat(query(p, "SELECT client_key, fired, fired_frame, deliveries FROM mqtt_wills"))
                .containsExactly(Arrays.asList("dev5", false, null, 0L));
        assertThat(query(p, "SELECT is_will FROM mqtt_deliveries")).containsExactly(row(false));
    }

    @Test
    void mqtt5_connection_messages_and_deliveries() throws Exception {
        RawPcap p = new RawPcap();
        RawPcap.Tcp c = p.tcp("10.0.0.20", 43000, BROKER, 1883).handshake()
                .client(connect(5, "v5", null, null, "user", "s3cret")).server(connack(5))
                .client(MqttPackets.packet(0x82, Packets.bytes(0x00, 0x07, 0x00 /* no properties */,
                        MqttPackets.str("t/+"), 0x01 /* options: QoS 1 */)))
                .server(MqttPackets.packet(0x90, Packets.bytes(0x00, 0x07, 0x00, 0x01)));
        int d = p.nextFrame();
        c.server(publish5("t/1", "v"));
        c.client(disconnect5(0x00)).close();
        assertThat(query(p, "SELECT protocol_level, client_id, username, password_present, ended_by FROM mqtt_connections"))
                .containsExactly(row(5, "v5", "user", true, "disconnect"));
        assertThat(query(p, "SELECT password_present, password_length, password FROM mqtt_messages WHERE type = 'CONNECT'"))
                .containsExactly(Arrays.asList(true, 6L, null));
        assertThat(query(p, "SELECT filter, qos, granted FROM mqtt_subscriptions")).containsExactly(row("t/+", 1, true));
        assertThat(query(p, "SELECT frame, topic, payload_text, matching_filters FROM mqtt_deliveries"))
                .containsExactly(row(d, "t/1", "v", "t/+"));
        assertThat(query(p, "SELECT count(*) FROM mqtt_wills")).containsExactly(row(0));
    }
}
