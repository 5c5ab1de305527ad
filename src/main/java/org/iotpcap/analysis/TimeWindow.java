package org.iotpcap.analysis;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.LinkedHashMap;
import java.util.Locale;
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

    /**
     * Table to the condition (on its own columns) that keeps a row: :lo and :hi are the bounds, :frames the whole
     * frames table.
     */
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
        CONDITIONS.put("malformed", "frame IN (SELECT frame FROM :frames WHERE time_ns >= :lo AND time_ns < :hi)");
        CONDITIONS.put("mqtt_wills", "connect_frame IN (SELECT frame FROM :frames WHERE time_ns >= :lo AND time_ns < :hi)");
        CONDITIONS.put("mqtt_clients", "EXISTS (SELECT 1 FROM :frames f WHERE f.frame BETWEEN first_frame AND last_frame "
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
            for (var e : conditions(fromNanos, toNanos, db + ".main.frames").entrySet()) {
                s.execute("CREATE OR REPLACE TEMP VIEW " + e.getKey() + " AS SELECT * FROM " + db + ".main." + e.getKey()
                        + " WHERE " + e.getValue());
            }
        }
    }

    /**
     * The window's condition on each table it narrows (portable SQL: DuckDB's views and the Spark ones use the
     * same text); {@code frames} names the whole, unnarrowed frames table.
     */
    public static Map<String, String> conditions(long fromNanos, long toNanos, String frames) {
        Map<String, String> out = new LinkedHashMap<>();
        CONDITIONS.forEach((table, cond) -> out.put(table, cond.replace(":lo", Long.toString(fromNanos))
                .replace(":hi", Long.toString(toNanos)).replace(":frames", frames)));
        return out;
    }

    /**
     * The accepted forms of an ISO 8601 time: a local date and time ({@code T} or a space between them), then an
     * optional offset ({@code Z}, {@code +02:00}), then an optional zone region in brackets
     * ({@code [Europe/Rome]}), as {@link java.time.format.DateTimeFormatter#ISO_DATE_TIME} with the space.
     */
    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffsetId().optionalEnd()
            .optionalStart().appendLiteral('[').parseCaseSensitive().appendZoneRegionId().appendLiteral(']').optionalEnd()
            .toFormatter(Locale.ROOT);

    /**
     * A time as given on the command line: a local date and time with the offset or zone it named, if any. A
     * time without either is placed in the zone given later ({@code --tz}), hence two steps.
     */
    public record Point(LocalDateTime local, ZoneOffset offset, ZoneId zone) {
        /**
         * Parses an ISO 8601 time: with an offset ({@code 2024-05-03T15:59:00+02:00}, {@code ...Z}), with a zone
         * ({@code 2024-05-03T15:59[Europe/Rome]}), or local ({@code 2024-05-03T15:59}, {@code 2024-05-03 15:59}).
         */
        public static Point parse(String text) {
            try {
                TemporalAccessor t = FORMAT.parse(text.strip());
                return new Point(LocalDateTime.from(t), t.query(TemporalQueries.offset()), t.query(TemporalQueries.zone()));
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("bad time '" + text + "': expected ISO 8601, e.g. 2024-05-03T15:59:00+02:00, "
                        + "2024-05-03T15:59[Europe/Rome] or 2024-05-03T13:59:00Z");
            }
        }

        /** The instant, in nanoseconds since the epoch: by the offset, else the zone, else {@code fallback}. */
        public long nanos(ZoneId fallback) {
            Instant i = offset != null ? local.toInstant(offset) : local.atZone(zone != null ? zone : fallback).toInstant();
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000_000L), i.getNano());
        }
    }
}
