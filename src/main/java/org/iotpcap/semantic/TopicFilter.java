package org.iotpcap.semantic;

/**
 * MQTT topic filter matching, level by level (MQTT 3.1.1 section 4.7, MQTT 5.0 section 4.7): {@code +} matches
 * exactly one level, {@code #} (only as the last level) matches its parent level and any number of levels
 * below; both only when they stand alone as a whole level, so {@code a#} and {@code a+} are plain text.
 * Filters starting with a wildcard do not match topics starting with {@code $} (4.7.2). Topic names and filters
 * are at least one character long (4.7.3): an empty one (e.g. an MQTT 5 topic alias we could not resolve)
 * matches nothing.
 */
public final class TopicFilter {
    private TopicFilter() {}

    public static boolean matches(String filter, String topic) {
        if (filter == null || topic == null || filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        String[] f = filter.split("/", -1);
        String[] t = topic.split("/", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals("#")) {
                return i == f.length - 1; // '#' must be the last level; it matches the parent level too
            }
            if (i >= t.length) {
                return false;
            }
            if (!f[i].equals("+") && !f[i].equals(t[i])) {
                return false;
            }
        }
        return f.length == t.length;
    }

    /** "none", "#", "+" or "+#": which wildcards the filter holds as whole levels. */
    public static String wildcard(String filter) {
        boolean multi = false;
        boolean single = false;
        for (String level : filter.split("/", -1)) {
            multi |= level.equals("#");
            single |= level.equals("+");
        }
        return multi && single ? "+#" : multi ? "#" : single ? "+" : "none";
    }
}
