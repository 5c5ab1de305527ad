package org.iotpcap.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.iotpcap.cli.ExitCodes;
import org.iotpcap.cli.Main;
import org.iotpcap.semantic.TopicFilter;
import org.iotpcap.testing.MqttTopicExamples;
import org.junit.jupiter.api.Test;

/**
 * The SQL macro {@code topic_matches(filter, topic)} that users call (schema.sql), through {@code iotpcap query}
 * on DuckDB alone (no tshark): first against the examples of MQTT 3.1.1 sections 4.7.1 to 4.7.3, written from
 * the specification's text ({@link MqttTopicExamples}); then against {@link TopicFilter#matches}, the Java rule the model uses, on every
 * pair of a small alphabet of valid filters and topics, so the user's copy of the rule cannot drift from it.
 */
class TopicMatchesMacroTest {
    /** Any capture will do: the queries read no table. */
    private static final String CAPTURE = "fixtures/captures/dns.pcapng";

    @Test
    void topicMatchesMacroFollowsTheSpecExamples() {
        List<String[]> pairs = new ArrayList<>();
        for (MqttTopicExamples.Example e : MqttTopicExamples.ALL) {
            pairs.add(new String[] {e.filter(), e.topic()});
        }
        List<Boolean> macro = macro(pairs);
        for (int i = 0; i < MqttTopicExamples.ALL.size(); i++) {
            MqttTopicExamples.Example e = MqttTopicExamples.ALL.get(i);
            assertThat(macro.get(i)).as("topic_matches('%s', '%s')", e.filter(), e.topic()).isEqualTo(e.matches());
            assertThat(TopicFilter.matches(e.filter(), e.topic())).as("TopicFilter.matches('%s', '%s')", e.filter(),
                    e.topic()).isEqualTo(e.matches());
        }
    }

    @Test
    void topicMatchesMacroAgreesWithTopicFilterOnEveryValidPair() {
        // filters: 1 to 3 levels of {a, b, empty, +}, or 0 to 2 of them then '#'; topics: 1 to 3 levels of
        // {a, b, empty, $s} with '$s' only first (4.7.2), never the empty topic (4.7.3)
        List<String> filters = new ArrayList<>();
        for (List<String> l : levels(List.of("a", "b", "", "+"), 1, 3, false)) {
            filters.add(String.join("/", l));
        }
        for (List<String> l : levels(List.of("a", "b", "", "+"), 0, 2, false)) {
            List<String> withHash = new ArrayList<>(l);
            withHash.add("#");
            filters.add(String.join("/", withHash));
        }
        filters.removeIf(String::isEmpty);
        List<String> topics = new ArrayList<>();
        for (List<String> l : levels(List.of("a", "b", "", "$s"), 1, 3, true)) {
            topics.add(String.join("/", l));
        }
        topics.removeIf(String::isEmpty);
        List<String[]> pairs = new ArrayList<>();
        for (String f : filters) {
            for (String t : topics) {
                pairs.add(new String[] {f, t});
            }
        }
        List<Boolean> macro = macro(pairs);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            String[] p = pairs.get(i);
            if (macro.get(i) != TopicFilter.matches(p[0], p[1])) {
                differences.add("'" + p[0] + "' '" + p[1] + "': SQL " + macro.get(i));
            }
        }
        assertThat(pairs).hasSizeGreaterThan(5000);
        assertThat(differences).as("topic_matches differs from TopicFilter.matches").isEmpty();
    }

    /**
     * Every sequence of {@code min} to {@code max} levels over {@code alphabet}. With {@code dollarFirstOnly}, a
     * level starting with '$' appears only first.
     */
    private static List<List<String>> levels(List<String> alphabet, int min, int max, boolean dollarFirstOnly) {
        List<List<String>> current = List.of(List.of());
        List<List<String>> out = new ArrayList<>();
        for (int n = 0; n <= max; n++) {
            if (n >= min) {
                out.addAll(current);
            }
            List<List<String>> next = new ArrayList<>();
            for (List<String> l : current) {
                for (String a : alphabet) {
                    if (!(dollarFirstOnly && a.startsWith("$") && !l.isEmpty())) {
                        List<String> longer = new ArrayList<>(l);
                        longer.add(a);
                        next.add(longer);
                    }
                }
            }
            current = next;
        }
        return out;
    }

    /** topic_matches over the pairs, in order, from one {@code iotpcap query --format csv}. */
    private static List<Boolean> macro(List<String[]> pairs) {
        String values = IntStream.range(0, pairs.size())
                .mapToObj(i -> "(" + i + ", " + quote(pairs.get(i)[0]) + ", " + quote(pairs.get(i)[1]) + ")")
                .collect(Collectors.joining(", "));
        String sql = "SELECT topic_matches(f, t) AS m FROM (VALUES " + values + ") v(i, f, t) ORDER BY i";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"query", CAPTURE, sql, "--format", "csv"}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(code).as("iotpcap query: %s", err).isEqualTo(ExitCodes.OK);
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("m");
        assertThat(lines).hasSize(pairs.size() + 1);
        return lines.subList(1, lines.size()).stream().map(Boolean::parseBoolean).toList();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
