package org.iotpcap.analysis;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Restricts every table to a capture-time window [from, to) by shadowing it with a temporary view of the same
 * name, so any analysis (or query) sees only what happened in the window: messages by their time, CoAP
 * exchanges and transfers by their first request, connections by their start, subscriptions by their
 * SUBSCRIBE, QoS flows by their PUBLISH, wills by their CONNECT's frame, clients by any activity in the window.
 * {@code names} stays whole, so a server named by DNS name resolves as in the whole capture.
 */
public final class TimeWindow {
    private TimeWindow() {}

    /** Table to the condition (on its own columns) that keeps a row: :lo and :hi are the bounds, :db the database. */
    private static final Map<String, String> CONDITIONS = new LinkedHashMap<>();

    static {
        for (String t : new String[] {"frames", "dns_messages", "dns_answers", "coap_messages", "mqtt_messages",
                "mqtt_deliveries", "mqttsn_messages", "coap_notifications"}) {
            CONDITIONS.put(t, "time_ns >= :lo AND time_ns < :hi");
        }
        CONDITIONS.put("tcp_connections", "start_ns >= :lo AND start_ns < :hi");
        CONDITIONS.put("mqtt_connections", "start_ns >= :lo AND start_ns < :hi");
        CONDITIONS.put("coap_exchanges", "first_ns >= :lo AND first_ns < :hi");
        CONDITIONS.put("coap_transfers", "first_ns >= :lo AND first_ns < :hi");
        CONDITIONS.put("mqtt_subscriptions", "subscribe_ns >= :lo AND subscribe_ns < :hi");
        CONDITIONS.put("mqtt_qos_flows", "publish_ns >= :lo AND publish_ns < :hi");
        CONDITIONS.put("malformed", "frame IN (SELECT frame FROM :db.main.frames WHERE time_ns >= :lo AND time_ns < :hi)");
        CONDITIONS.put("mqtt_wills", "connect_frame IN (SELECT frame FROM :db.main.frames WHERE time_ns >= :lo AND time_ns < :hi)");
        CONDITIONS.put("mqtt_clients", "EXISTS (SELECT 1 FROM :db.main.frames f WHERE f.frame BETWEEN first_frame AND last_frame "
                + "AND f.time_ns >= :lo AND f.time_ns < :hi)");
    }

    /** Shadows the tables; {@code fromNanos}/{@code toNanos} may be Long.MIN_VALUE/MAX_VALUE for an open end. */
    public static void apply(Connection c, long fromNanos, long toNanos) throws SQLException {
        String db;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
            rs.next();
            db = "\"" + rs.getString(1).replace("\"", "\"\"") + "\"";
        }
        try (Statement s = c.createStatement()) {
            for (var e : CONDITIONS.entrySet()) {
                String cond = e.getValue().replace(":lo", Long.toString(fromNanos)).replace(":hi", Long.toString(toNanos))
                        .replace(":db", db);
                s.execute("CREATE OR REPLACE TEMP VIEW " + e.getKey() + " AS SELECT * FROM " + db + ".main." + e.getKey()
                        + " WHERE " + cond);
            }
        }
    }

    /**
     * Parses an ISO 8601 time: with an offset ({@code 2024-05-03T15:59:00+02:00}, {@code ...Z}), with a zone
     * ({@code 2024-05-03T15:59[Europe/Rome]}), or local ({@code 2024-05-03T15:59}, in {@code zone}).
     */
    public static long parseNanos(String text, ZoneId zone) {
        String t = text.strip();
        Instant i;
        try {
            int bracket = t.indexOf('[');
            if (bracket > 0 && t.endsWith("]")) {
                String dateTime = t.substring(0, bracket);
                ZoneId z = ZoneId.of(t.substring(bracket + 1, t.length() - 1));
                i = dateTime.endsWith("Z") || dateTime.matches(".*[+-]\\d\\d:?\\d\\d$")
                        ? ZonedDateTime.parse(t).toInstant()
                        : LocalDateTime.parse(dateTime.replace(' ', 'T')).atZone(z).toInstant();
            } else if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                i = OffsetDateTime.parse(t).toInstant();
            } else {
                i = LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
            }
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("bad time '" + text + "': expected ISO 8601, e.g. 2024-05-03T15:59:00+02:00, "
                    + "2024-05-03T15:59[Europe/Rome] or 2024-05-03T13:59:00Z");
        }
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
    }
}
