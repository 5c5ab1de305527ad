package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/**
 * {@link TopicFilter} against a reference written here from MQTT 3.1.1 section 4.7 (5.0 section 4.7 is the same):
 * the filter is turned into a regular expression level by level, a different technique from the implementation's
 * level walk. Rules taken from the spec text:
 * <ul>
 *   <li>4.7.1.1: '/' separates levels; empty levels are levels.</li>
 *   <li>4.7.1.2: '#' is a wildcard only as a whole level and only as the last level; it matches the parent level
 *       too ("sport/#" matches "sport"). A filter with '#' elsewhere is invalid and matches nothing.</li>
 *   <li>4.7.1.3: '+' matches exactly one level, which may be empty, only as a whole level.</li>
 *   <li>iotpcap's definition (SEED-QUESTIONS.md, "Topic levels"): 'a#' and 'a+' are plain text, not wildcards.</li>
 *   <li>4.7.2: filters starting with a wildcard do not match topics starting with '$'.</li>
 *   <li>4.7.3: topic names and filters are at least one character long: an empty one matches nothing.</li>
 * </ul>
 */
class TopicFilterPropertiesTest {

    /** The reference: filter to regex per level. */
    static boolean reference(String filter, String topic) {
        if (filter.isEmpty() || topic.isEmpty()) {
            return false;
        }
        String[] levels = filter.split("/", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            String sep = i == 0 ? "" : "/";
            if (level.equals("#")) {
                if (i != levels.length - 1) {
                    return false; // 4.7.1.2: '#' MUST be the last character of the filter
                }
                re.append(i == 0 ? ".*" : "(?:/.*)?"); // the parent level, or the parent and any levels below
            } else if (level.equals("+")) {
                re.append(sep).append("[^/]*");
            } else {
                re.append(sep).append(Pattern.quote(level));
            }
        }
        if (topic.startsWith("$") && (levels[0].equals("+") || levels[0].equals("#"))) {
            return false;
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(topic).matches();
    }

    @Property(tries = 5000)
    void matches_agrees_with_the_reference_on_small_alphabet_strings(
            @ForAll @StringLength(max = 9) @Chars({'a', 'b', '+', '#', '/', '$'}) String filter,
            @ForAll @StringLength(max = 9) @Chars({'a', 'b', '/', '$'}) String topic) {
        assertThat(TopicFilter.matches(filter, topic)).as("filter '%s' topic '%s'", filter, topic)
                .isEqualTo(reference(filter, topic));
    }

    @Property(tries = 5000)
    void matches_agrees_with_the_reference_on_level_lists(@ForAll("filters") String filter, @ForAll("topics") String topic) {
        assertThat(TopicFilter.matches(filter, topic)).as("filter '%s' topic '%s'", filter, topic)
                .isEqualTo(reference(filter, topic));
    }

    /** A filter without wildcard levels matches exactly the topic that equals it. */
    @Property(tries = 2000)
    void a_filter_without_wildcards_matches_only_itself(@ForAll("filters") String filter, @ForAll("topics") String topic) {
        if (TopicFilter.wildcard(filter).equals("none")) {
            assertThat(TopicFilter.matches(filter, topic)).isEqualTo(filter.equals(topic));
        }
    }

    /** Every topic is matched by the filter '#' unless it starts with '$'; by "t/#" when it is t or under t. */
    @Property(tries = 2000)
    void hash_matches_parent_and_children(@ForAll("topics") String parent, @ForAll("topics") String child) {
        assertThat(TopicFilter.matches("#", parent)).isEqualTo(!parent.startsWith("$"));
        assertThat(TopicFilter.matches(parent + "/#", parent)).isTrue();
        assertThat(TopicFilter.matches(parent + "/#", parent + "/" + child)).isTrue();
    }

    @Provide
    Arbitrary<String> filters() {
        return Arbitraries.of("a", "b", "+", "#", "", "$a", "a#", "+a", "a+", "#b").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> String.join("/", l));
    }

    @Provide
    Arbitrary<String> topics() {
        return Arbitraries.of("a", "b", "", "$a", "$SYS", "ab").list().ofMinSize(1).ofMaxSize(5)
                .map(l -> String.join("/", l)).filter(t -> !t.isEmpty());
    }

    // The examples of MQTT 3.1.1 section 4.7, by hand.

    @Example
    void spec_4_7_1_2_multi_level_wildcard() {
        String f = "sport/tennis/player1/#";
        assertThat(TopicFilter.matches(f, "sport/tennis/player1")).isTrue();
        assertThat(TopicFilter.matches(f, "sport/tennis/player1/ranking")).isTrue();
        assertThat(TopicFilter.matches(f, "sport/tennis/player1/score/wimbledon")).isTrue();
        assertThat(TopicFilter.matches(f, "sport/tennis/player2")).isFalse();
        assertThat(TopicFilter.matches("sport/#", "sport")).isTrue();
        assertThat(TopicFilter.matches("#", "sport/tennis")).isTrue();
        // "sport/tennis#" and "sport/tennis/#/ranking" are not valid wildcards: the first is plain text here,
        // the second matches nothing.
        assertThat(TopicFilter.matches("sport/tennis#", "sport/tennis")).isFalse();
        assertThat(TopicFilter.matches("sport/tennis#", "sport/tennis#")).isTrue();
        assertThat(TopicFilter.matches("sport/tennis/#/ranking", "sport/tennis/player1/ranking")).isFalse();
    }

    @Example
    void spec_4_7_1_3_single_level_wildcard() {
        String f = "sport/tennis/+";
        assertThat(TopicFilter.matches(f, "sport/tennis/player1")).isTrue();
        assertThat(TopicFilter.matches(f, "sport/tennis/player2")).isTrue();
        assertThat(TopicFilter.matches(f, "sport/tennis/player1/ranking")).isFalse();
        assertThat(TopicFilter.matches("sport/+", "sport")).isFalse();
        assertThat(TopicFilter.matches("sport/+", "sport/")).isTrue();
        assertThat(TopicFilter.matches("+", "sport")).isTrue();
        assertThat(TopicFilter.matches("+/tennis/#", "sport/tennis/player1")).isTrue();
        assertThat(TopicFilter.matches("sport+", "sport")).isFalse();
        assertThat(TopicFilter.matches("sport+", "sport+")).isTrue();
        assertThat(TopicFilter.matches("sport/+/player1", "sport/tennis/player1")).isTrue();
        assertThat(TopicFilter.matches("+/+", "/finance")).isTrue();
        assertThat(TopicFilter.matches("/+", "/finance")).isTrue();
        assertThat(TopicFilter.matches("+", "/finance")).isFalse();
    }

    @Example
    void spec_4_7_2_dollar_topics() {
        assertThat(TopicFilter.matches("#", "$SYS/broker/clients")).isFalse();
        assertThat(TopicFilter.matches("+/monitor/Clients", "$SYS/monitor/Clients")).isFalse();
        assertThat(TopicFilter.matches("$SYS/#", "$SYS/monitor/Clients")).isTrue();
        assertThat(TopicFilter.matches("$SYS/monitor/+", "$SYS/monitor/Clients")).isTrue();
        assertThat(TopicFilter.matches("a/+", "a/$b")).isTrue();
    }

    @Example
    void spec_4_7_3_case_spaces_and_empty_names() {
        assertThat(TopicFilter.matches("ACCOUNTS", "Accounts")).isFalse();
        assertThat(TopicFilter.matches("Accounts payable", "Accounts payable")).isTrue();
        assertThat(TopicFilter.matches("", "a")).isFalse();
        assertThat(TopicFilter.matches("#", "")).isFalse();
        assertThat(TopicFilter.matches("+", "")).isFalse();
        assertThat(TopicFilter.matches(null, "a")).isFalse();
        assertThat(TopicFilter.matches("a", null)).isFalse();
    }

    @Example
    void wildcard_names_the_whole_level_wildcards() {
        for (List<String> c : List.of(
                List.of("a/b", "none"), List.of("a", "none"), List.of("a#", "none"), List.of("a+/b", "none"),
                List.of("sport/tennis#", "none"), List.of("#", "#"), List.of("a/#", "#"), List.of("+", "+"),
                List.of("sport/+/player1", "+"), List.of("+/#", "+#"), List.of("+/tennis/#", "+#"),
                List.of("/", "none"), List.of("a//#", "#"))) {
            assertThat(TopicFilter.wildcard(c.get(0))).as(c.get(0)).isEqualTo(c.get(1));
        }
    }
}
