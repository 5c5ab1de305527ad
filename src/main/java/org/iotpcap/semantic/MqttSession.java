package org.iotpcap.semantic;

import java.util.function.LongSupplier;
import org.iotpcap.table.RowWriter;
import org.iotpcap.transport.Endpoint;

/**
 * One MQTT session as the broker holds it (MQTT 3.1.1 3.1.2.4, 5.0 3.1.2.4 and 4.1): its subscriptions, and the
 * connection holding it now (null while its client is away). {@link MqttSessions} opens, resumes and ends it.
 */
final class MqttSession {
    /** 5.0 3.1.2.11.2: an interval of 0xFFFFFFFF means the session does not expire. */
    static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    final long id;
    final String clientKey;
    final String clientId;
    final Endpoint broker;
    final MqttSubscriptionState subscriptions;
    final long firstStream;
    final long startFrame;
    final long startNs;
    /** The connection holding it, or null while its client is away. */
    MqttConn conn;
    long lastStream;
    int protocolLevel;
    /** The last connection's Clean Session (3.1.1) flag. */
    boolean clean;
    /** The 5.0 Session Expiry Interval in seconds as last set; null before 5.0. */
    Long expirySeconds;
    int connections;
    int resumed;
    boolean presentAtStart;
    /** The broker refused the CONNECT that opened it: no broker session, it ends with its connection. */
    boolean refused;
    long deliveries;
    long queued;
    /** When its last connection ended, while it waits for its client. */
    long offlineNs;

    MqttSession(long id, MqttConn conn, long frame, long ns, RowWriter subscriptionRows, int maxSubscriptions,
                LongSupplier subscriptionIds) {
        this.id = id;
        this.clientKey = conn.clientKey();
        this.clientId = conn.clientId();
        this.broker = conn.broker();
        this.firstStream = conn.tcp.index();
        this.startFrame = frame;
        this.startNs = ns;
        this.subscriptions = new MqttSubscriptionState(subscriptionRows, maxSubscriptions, this, subscriptionIds);
    }

    /** The session outlives its connection (3.1.1 3.1.2.4: Clean Session 0; 5.0 3.1.2.11.2: interval above 0). */
    boolean persistent() {
        if (refused) {
            return false;
        }
        return expirySeconds == null ? !clean : expirySeconds > 0;
    }

    /** When a session waiting for its client expires (Long.MAX_VALUE: never, or when the broker chooses). */
    long expiresNs() {
        if (expirySeconds == null || expirySeconds == NEVER_EXPIRES) {
            return Long.MAX_VALUE;
        }
        return offlineNs + expirySeconds * 1_000_000_000L;
    }
}
