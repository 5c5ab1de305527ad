package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.MqttPackets.connack;
import static org.iotpcap.testing.MqttPackets.connect;
import static org.iotpcap.testing.MqttPackets.disconnect;
import static org.iotpcap.testing.MqttPackets.packet;
import static org.iotpcap.testing.MqttPackets.publish;
import static org.iotpcap.testing.MqttPackets.str;
import static org.iotpcap.testing.MqttPackets.subscribe;
import static org.iotpcap.testing.MqttPackets.suback;
import static org.iotpcap.testing.Packets.bytes;

import java.nio.file.Path;
import java.util.List;
import org.iotpcap.testing.RawPcap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session rules of {@link MqttSessions}, one test per rule, on MQTT packets written here (MQTT 3.1.1 3.1.2.4,
 * 3.2.2.2; 5.0 3.1.2.4, 3.1.2.11.2, 3.2.2.2, 3.14.2.2.2, 4.8.2). The real-peer cases (queued messages, retained
 * messages, Subscription Identifiers, shared subscriptions) are {@link MqttSessionsFixtureTest}'s.
 */
class MqttSessionsTest {
    private static final String BROKER = "10.0.0.100";

    @TempDir
    Path dir;

    /** CONNECT 3.1.1 with Clean Session 0: flags 0x00 (3.1.2.4), keep alive 60. */
    private static byte[] connectPersistent(String id) {
        return packet(0x10, bytes(str("MQTT"), 4, 0x00 /* flags: Clean Session 0 */, 0x00, 0x3C, str(id)));
    }

    /** CONNACK 3.1.1 with Session Present 1 (3.2.2.2) and return code 0. */
    private static byte[] connackPresent() {
        return packet(0x20, bytes(0x01 /* Session Present */, 0x00));
    }

    /** CONNECT 5.0 with Clean Start 0 and no properties: Session Expiry Interval absent, so 0 (3.1.2.11.2). */
    private static byte[] connect5Keep(String id) {
        return packet(0x10, bytes(str("MQTT"), 5, 0x00 /* Clean Start 0 */, 0x00, 0x3C, 0x00 /* properties */, str(id)));
    }

    /** DISCONNECT 5.0, reason 0, setting Session Expiry Interval (0x11, four bytes) to {@code seconds} (3.14.2.2.2). */
    private static byte[] disconnect5Expiry(int seconds) {
        return packet(0xE0, bytes(0x00 /* reason */, 0x05 /* property length */, 0x11, seconds >>> 24,
                (seconds >> 16) & 0xFF, (seconds >> 8) & 0xFF, seconds & 0xFF));
    }

    /** SUBSCRIBE 5.0: packet id, property length 0, one filter with options (QoS 0). */
    private static byte[] subscribe5(int packetId, String filter) {
        return packet(0x82, bytes(packetId >> 8, packetId & 0xFF, 0x00, str(filter), 0x00));
    }

    private List<List<Object>> query(RawPcap pcap, String sql) throws Exception {
        return PcapRows.query(pcap, dir, sql);
    }

    private static List<Object> row(Object... values) {
        return PcapRows.row(values);
    }

    @Test
    void a_persistent_session_keeps_its_subscriptions_for_the_next_connection() throws Exception {
        RawPcap p = new RawPcap();
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connack(4))
                .client(subscribe(1, 1, "a/b")).server(suback(1, 1)).client(disconnect()).close();
        int delivery = p.nextFrame() + 5; // handshake 3, CONNECT, CONNACK, then the PUBLISH
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connackPresent())
                .server(publish("a/b", "kept")).client(disconnect()).close();
        assertThat(query(p, "SELECT frame, session, kind, matching_filters, exact_match FROM mqtt_deliveries"))
                .containsExactly(row(delivery, 0, "live", "a/b", true));
        assertThat(query(p, "SELECT session, connections, resumed, persistent, ended_by FROM mqtt_sessions"))
                .containsExactly(row(0, 2, 1, true, "capture_end"));
        assertThat(query(p, "SELECT stream, removed_frame, removed_by FROM mqtt_subscriptions"))
                .containsExactly(row(0, null, "capture_end"));
    }

    @Test
    void session_present_0_to_a_resume_means_the_broker_no_longer_held_it() throws Exception {
        RawPcap p = new RawPcap();
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connack(4))
                .client(subscribe(1, 1, "a/b")).server(suback(1, 1)).client(disconnect()).close();
        int connack = p.nextFrame() + 4;
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connack(4))
                .server(publish("a/b", "not for the old session")).client(disconnect()).close();
        assertThat(query(p, "SELECT session, connections, end_frame, ended_by FROM mqtt_sessions ORDER BY session"))
                .containsExactly(row(0, 1, connack, "not_present"), row(1, 1, null, "capture_end"));
        assertThat(query(p, "SELECT removed_frame, removed_by FROM mqtt_subscriptions"))
                .containsExactly(row(connack, "session_end"));
        assertThat(query(p, "SELECT session, matches, subscription FROM mqtt_deliveries")).containsExactly(row(1, 0, null));
    }

    @Test
    void clean_session_1_ends_the_waiting_session() throws Exception {
        RawPcap p = new RawPcap();
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connack(4))
                .client(subscribe(1, 1, "a/b")).server(suback(1, 1)).client(disconnect()).close();
        int connect = p.nextFrame() + 3;
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connect("alice")).server(connack(4))
                .client(disconnect()).close();
        // the new session ends with its connection, at the connection's last frame
        assertThat(query(p, "SELECT session, s.end_frame = c.end_frame, s.ended_by FROM mqtt_sessions s"
                + " JOIN mqtt_connections c ON c.stream = s.last_stream ORDER BY session"))
                .containsExactly(row(0, false, "clean_start"), row(1, true, "connection_end"));
        assertThat(query(p, "SELECT end_frame FROM mqtt_sessions WHERE session = 0")).containsExactly(row(connect));
    }

    @Test
    void a_refused_connect_opens_no_broker_session_and_leaves_the_waiting_one() throws Exception {
        RawPcap p = new RawPcap();
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connack(4))
                .client(subscribe(1, 1, "a/b")).server(suback(1, 1)).client(disconnect()).close();
        // refused (3.1.1 return code 5, not authorized); the client still sends a SUBSCRIBE
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connectPersistent("alice"))
                .server(packet(0x20, bytes(0x00, 0x05))).client(subscribe(2, 0, "x/#")).close();
        p.tcp("10.0.0.1", 40003, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connackPresent())
                .server(publish("a/b", "still held")).client(disconnect()).close();
        assertThat(query(p, "SELECT session, first_stream, last_stream, connections, resumed, ended_by"
                + " FROM mqtt_sessions ORDER BY session"))
                .containsExactly(row(0, 0, 2, 2, 1, "capture_end"), row(1, 1, 1, 1, 0, "refused"));
        assertThat(query(p, "SELECT session, filter, removed_by FROM mqtt_subscriptions ORDER BY subscription"))
                .containsExactly(row(0, "a/b", "capture_end"), row(1, "x/#", "connection_end"));
        assertThat(query(p, "SELECT stream, session, matching_filters FROM mqtt_deliveries"))
                .containsExactly(row(2, 0, "a/b"));
    }

    @Test
    void a_disconnect_can_make_a_5_0_session_persistent_until_its_interval_passes() throws Exception {
        RawPcap p = new RawPcap();
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connect5Keep("bob")).server(connack(5))
                .client(subscribe5(1, "a/b")).client(disconnect5Expiry(1)).close();
        for (int i = 0; i < 1100; i++) { // frames are 1 ms apart: 1.1 s of capture time
            p.udp("10.0.0.9", 50000, "10.0.0.8", 50001, bytes(i & 0xFF));
        }
        int next = p.nextFrame() + 3; // the next MQTT packet after the interval passed: another client's CONNECT
        p.tcp("10.0.0.2", 40002, BROKER, 1883).handshake().client(connect("carol")).server(connack(4))
                .client(disconnect()).close();
        assertThat(query(p, "SELECT client_key, persistent, expiry_interval, end_frame, ended_by FROM mqtt_sessions"
                + " WHERE client_key = 'bob'")).containsExactly(row("bob", true, 1, next, "expired"));
        assertThat(query(p, "SELECT persistent, expiry_interval, ended_by FROM mqtt_sessions WHERE client_key = 'carol'"))
                .containsExactly(row(false, null, "connection_end"));
        assertThat(query(p, "SELECT removed_frame, removed_by FROM mqtt_subscriptions"))
                .containsExactly(row(next, "session_end"));
    }

    @Test
    void a_takeover_moves_the_session_to_the_new_connection() throws Exception {
        RawPcap p = new RawPcap();
        RawPcap.Tcp first = p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectPersistent("alice"))
                .server(connack(4)).client(subscribe(1, 1, "a/b")).server(suback(1, 1));
        p.tcp("10.0.0.1", 40002, BROKER, 1883).handshake().client(connectPersistent("alice")).server(connackPresent())
                .server(publish("a/b", "to the new one")).client(disconnect()).close();
        first.rst(false);
        assertThat(query(p, "SELECT connections, resumed, first_stream, last_stream, ended_by FROM mqtt_sessions"))
                .containsExactly(row(2, 1, 0, 1, "capture_end"));
        assertThat(query(p, "SELECT stream, matching_filters FROM mqtt_deliveries")).containsExactly(row(1, "a/b"));
    }

    /** PUBLISH QoS 0 with RETAIN (3.3.1.3): first byte 0x31, topic, payload (none: clears the stored message). */
    private static byte[] publishRetained(String topic, String payload) {
        return packet(0x31, bytes(str(topic), payload));
    }

    @Test
    void the_retained_store_is_set_cleared_and_learnt_from_a_delivery() throws Exception {
        RawPcap p = new RawPcap();
        int set = p.nextFrame() + 5;
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connect("pub")).server(connack(4))
                .client(publishRetained("a/t", "one")).client(publishRetained("a/t", "")).client(disconnect()).close();
        // a subscriber gets "two" as the stored message of a/t: set by a PUBLISH the capture does not show
        int delivered = p.nextFrame() + 7; // handshake 3, CONNECT, CONNACK, SUBSCRIBE, SUBACK, then the PUBLISH
        p.tcp("10.0.0.2", 40002, BROKER, 1883).handshake().client(connect("sub")).server(connack(4))
                .client(subscribe(1, 0, "a/#")).server(suback(1, 0)).server(publishRetained("a/t", "two"))
                .client(disconnect()).close();
        assertThat(query(p, "SELECT retained, topic, known_from, frame, client_key, payload_text, ended_by,"
                + " ended_frame, subscribe_deliveries FROM mqtt_retained ORDER BY retained")).containsExactly(
                row(0, "a/t", "publish", set, "pub", "one", "cleared", set + 1, 0),
                row(1, "a/t", "delivery", delivered, null, "two", "capture_end", null, 1));
        assertThat(query(p, "SELECT kind, retained, source_client_key FROM mqtt_deliveries"))
                .containsExactly(row("retained", 1, null));
        assertThat(query(p, "SELECT count(*) FROM mqtt_messages WHERE type = 'PUBLISH' AND direction = 'c2s'"
                + " AND NOT EXISTS (SELECT 1 FROM mqtt_deliveries d WHERE d.source_stream = stream"
                + " AND d.source_offset = stream_offset)")).containsExactly(row(2));
    }

    @Test
    void a_fired_will_with_will_retain_is_stored_as_retained() throws Exception {
        RawPcap p = new RawPcap();
        // CONNECT 3.1.1, flags 0x26: Will Retain (0x20), Will Flag (0x04), Clean Session (0x02); will w/t = "gone"
        byte[] connectWill = packet(0x10, bytes(str("MQTT"), 4, 0x26, 0x00, 0x3C, str("w"), str("w/t"), str("gone")));
        p.tcp("10.0.0.1", 40001, BROKER, 1883).handshake().client(connectWill).server(connack(4)).rst(true);
        int fired = p.nextFrame() - 1; // the RST
        p.tcp("10.0.0.2", 40002, BROKER, 1883).handshake().client(connect("sub")).server(connack(4))
                .client(subscribe(1, 0, "w/#")).server(suback(1, 0)).server(publishRetained("w/t", "gone"))
                .client(disconnect()).close();
        assertThat(query(p, "SELECT known_from, stream, frame, client_key, payload_text, subscribe_deliveries"
                + " FROM mqtt_retained")).containsExactly(row("will", 0, fired, "w", "gone", 1));
        assertThat(query(p, "SELECT kind, is_will, will_client_key, source_stream FROM mqtt_deliveries"))
                .containsExactly(row("retained", true, "w", null));
    }

    @Test
    void shared_subscriptions_match_by_the_filter_after_the_share_name() {
        assertThat(TopicFilter.shareGroup("$share/g1/a/#")).isEqualTo("g1");
        assertThat(TopicFilter.topicFilter("$share/g1/a/#")).isEqualTo("a/#");
        // 4.8.2: a ShareName of at least one character, without '/', '+' or '#', then '/' and a filter
        assertThat(TopicFilter.shareGroup("$share//a")).isNull();
        assertThat(TopicFilter.shareGroup("$share/g+/a")).isNull();
        assertThat(TopicFilter.shareGroup("$share/g1")).isNull();
        assertThat(TopicFilter.shareGroup("$share/g1/")).isNull();
        assertThat(TopicFilter.topicFilter("$sharex/g1/a")).isEqualTo("$sharex/g1/a");
    }
}
