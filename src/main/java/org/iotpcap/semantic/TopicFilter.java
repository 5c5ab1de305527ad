package org.iotpcap.semantic;

/**
 * MQTT topic filter matching, level by level (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7): {@code +} matches
 * exactly one level, {@code #} (only as the last level) matches its parent level and any number of levels
 * below; both only when they stand alone as a whole level, so {@code a#} and {@code a+} are plain text.
 * Filters starting with a wildcard do not match topics starting with {@code $} (4.7.2). Topic names and filters
 * are at least one character long (4.7.3): an empty one (e.g. an MQTT 5 topic alias we could not resolve)
 * matches nothing, and so does a filter with {@code #} before its last level (4.7.1.2: invalid).
 *
 * <p>This is the one topic rule of iotpcap: {@code mqtt_deliveries} (matching_filters, exact_match, wildcard_match)
 * and {@code mqtt_subscriptions.wildcard} are computed here. SQL has one copy, the {@code topic_matches} macro
 * ({@code sql/schema.sql}), for questions about topics the capture never saw; {@code TopicFilterMacroPropertiesTest}
 * holds it equal to {@link #matches} on random filters and topics.
 *
 * <p>A shared subscription ({@code $share/ShareName/filter}, MQTT 5.0 section 4.8.2, which mosquitto also takes
 * from 3.1.1 clients) matches topics by its {@link #topicFilter}; {@link #matches} itself sees only filters.
 */
public final class TopicFilter {
    private TopicFilter() {}

    public static boolean matches(String filter, String topic) {
        if (filter == null || topic == null || filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        // level by level over the two strings, as split("/", -1) would cut them, without making the parts
        int fn = filter.length();
        int tn = topic.length();
        int fEnd = levelEnd(filter, 0);
        if (topic.charAt(0) == '$' && (isLevel(filter, 0, fEnd, '+') || isLevel(filter, 0, fEnd, '#'))) {
            return false; // 4.7.2 [MQTT-4.7.2-1]: a filter starting with a wildcard level does not match '$' topics
        }
        int f = 0;
        int t = 0; // the start of the topic's next level; -1 when it has none left
        while (true) {
            fEnd = levelEnd(filter, f);
            boolean lastFilterLevel = fEnd == fn;
            if (isLevel(filter, f, fEnd, '#')) {
                return lastFilterLevel; // '#' must be the last level; it matches the parent level too
            }
            if (t < 0) {
                return false;
            }
            int tEnd = levelEnd(topic, t);
            if (!isLevel(filter, f, fEnd, '+')
                    && (fEnd - f != tEnd - t || !filter.regionMatches(f, topic, t, fEnd - f))) {
                return false;
            }
            t = tEnd == tn ? -1 : tEnd + 1;
            if (lastFilterLevel) {
                return t < 0; // as many levels in the filter as in the topic
            }
            f = fEnd + 1;
        }
    }

    /** The end (exclusive) of the level of {@code s} starting at {@code from}: the next '/' or the end. */
    private static int levelEnd(String s, int from) {
        int i = s.indexOf('/', from);
        return i < 0 ? s.length() : i;
    }

    /** Whether the level [from, to) of {@code s} is the one character {@code c}. */
    private static boolean isLevel(String s, int from, int to, char c) {
        return to - from == 1 && s.charAt(from) == c;
    }

    /**
     * The number of levels of a topic name or filter: its parts split on '/', empty ones included ('' is one
     * empty level, 'a/' two); null for null. The {@code topic_levels} SQL macro says the same
     * ({@code TopicFilterMacroPropertiesTest}); Spark's {@code topic_levels} is this method.
     */
    public static Integer levels(String topic) {
        if (topic == null) {
            return null;
        }
        int n = 1;
        for (int i = 0; i < topic.length(); i++) {
            if (topic.charAt(i) == '/') {
                n++;
            }
        }
        return n;
    }

    /** "none", "#", "+" or "+#": which wildcards the filter holds as whole levels. */
    public static String wildcard(String filter) {
        boolean multi = false;
        boolean single = false;
        int from = 0;
        while (true) {
            int end = levelEnd(filter, from);
            multi |= isLevel(filter, from, end, '#');
            single |= isLevel(filter, from, end, '+');
            if (end == filter.length()) {
                break;
            }
            from = end + 1;
        }
        return multi && single ? "+#" : multi ? "#" : single ? "+" : "none";
    }

    private static final String SHARE = "$share/";

    /**
     * The ShareName of a shared subscription, or null: {@code $share/} then a ShareName of at least one character
     * without {@code /}, {@code +} or {@code #}, then {@code /} and the filter (5.0 4.8.2 [MQTT-4.8.2-1, -2]).
     */
    public static String shareGroup(String filter) {
        if (filter == null || !filter.startsWith(SHARE)) {
            return null;
        }
        int slash = filter.indexOf('/', SHARE.length());
        if (slash <= SHARE.length() || slash == filter.length() - 1) {
            return null;
        }
        String name = filter.substring(SHARE.length(), slash);
        return name.contains("+") || name.contains("#") ? null : name;
    }

    /** The filter topics are matched with: a shared subscription's filter after its ShareName, else the filter. */
    public static String topicFilter(String filter) {
        String group = shareGroup(filter);
        return group == null ? filter : filter.substring(SHARE.length() + group.length() + 1);
    }
}
