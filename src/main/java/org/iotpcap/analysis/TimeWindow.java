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

    /** How the window narrows one table: the one statement of it, as SQL ({@link #sql}) or in Java. */
    public sealed interface Rule permits OwnTime, FrameIn, FrameSpan {}

    /** Rows whose own nanosecond column is in the window. */
    public record OwnTime(String nanosColumn) implements Rule {}

    /** Rows whose frame column names a frame in the window. */
    public record FrameIn(String frameColumn) implements Rule {}

    /** Rows with a frame in the window between their first and last frame (inclusive). */
    public record FrameSpan(String firstFrameColumn, String lastFrameColumn) implements Rule {}

    /** Table to its rule; the tables not named here ({@code names}, ...) stay whole. */
    private static final Map<String, Rule> RULES = new LinkedHashMap<>();

    static {
        for (String t : new String[] {"frames", "dns_messages", "dns_answers", "coap_messages", "mqtt_messages",
                "mqtt_deliveries", "mqttsn_messages", "coap_notifications"}) {
            RULES.put(t, new OwnTime("time_ns"));
        }
        RULES.put("tcp_connections", new OwnTime("start_ns"));
        RULES.put("mqtt_connections", new OwnTime("start_ns"));
        RULES.put("coap_exchanges", new OwnTime("first_ns"));
        RULES.put("coap_transfers", new OwnTime("first_ns"));
        RULES.put("mqtt_subscriptions", new OwnTime("subscribe_ns"));
        RULES.put("mqtt_qos_flows", new OwnTime("publish_ns"));
        RULES.put("malformed", new FrameIn("frame"));
        RULES.put("mqtt_wills", new FrameIn("connect_frame"));
        RULES.put("mqtt_clients", new FrameSpan("first_frame", "last_frame"));
    }

    /** The rule of a table; null when the window leaves it whole. */
    public static Rule rule(String table) {
        return RULES.get(table);
    }

    /** The alias the narrowed table has in the view's statement ({@code SELECT * FROM t AS w WHERE ...}). */
    public static final String ALIAS = "w";

    /**
     * A rule as a condition on the table's columns (the table named {@link #ALIAS}); {@code frames} names the whole
     * frames table. A frame number is one capture's: in a dataset of several captures the frame must be of the
     * row's own capture.
     */
    static String sql(Rule rule, long fromNanos, long toNanos, String frames) {
        String inWindow = " >= " + fromNanos + " AND ";
        String w = ALIAS + ".";
        return switch (rule) {
            case OwnTime t -> w + t.nanosColumn() + inWindow + w + t.nanosColumn() + " < " + toNanos;
            case FrameIn f -> "EXISTS (SELECT 1 FROM " + frames + " f WHERE f.capture = " + w + "capture AND f.frame = "
                    + w + f.frameColumn() + " AND f.time_ns" + inWindow + "f.time_ns < " + toNanos + ")";
            case FrameSpan f -> "EXISTS (SELECT 1 FROM " + frames + " f WHERE f.capture = " + w + "capture AND f.frame"
                    + " BETWEEN " + w + f.firstFrameColumn() + " AND " + w + f.lastFrameColumn() + " AND f.time_ns"
                    + inWindow + "f.time_ns < " + toNanos + ")";
        };
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
                        + " AS " + ALIAS + " WHERE " + e.getValue());
            }
        }
    }

    /**
     * The window's condition on each table it narrows, on the table named {@link #ALIAS} (portable SQL: DuckDB's
     * views and the Spark ones use the same text); {@code frames} names the whole, unnarrowed frames table.
     */
    public static Map<String, String> conditions(long fromNanos, long toNanos, String frames) {
        Map<String, String> out = new LinkedHashMap<>();
        RULES.forEach((table, rule) -> out.put(table, sql(rule, fromNanos, toNanos, frames)));
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
