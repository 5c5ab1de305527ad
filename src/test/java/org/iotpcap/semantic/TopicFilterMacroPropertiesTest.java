package org.iotpcap.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.iotpcap.sql.Database;

/**
 * The SQL copy of the topic rule, the {@code topic_matches} macro of {@code sql/schema.sql}, held equal to
 * {@link TopicFilter#matches} (the rule every table is computed with) on random filters and topics, in a real
 * in-memory DuckDB created as {@code iotpcap} creates it ({@link Database#inMemory()}). Each try sends a batch of
 * pairs in one query. Levels are drawn from a small alphabet ({@code ''}, {@code +}, {@code #}, {@code $x},
 * {@code a}, {@code b}, and {@code a+}, {@code #b} for wildcard characters inside a level), and half the topics are
 * made from their filter by filling in its wildcards, so matches are frequent (the coverage checks say how
 * frequent). Strings over the characters {@code a b + # / $} cover what level lists miss ({@code $} alone, a
 * {@code $} inside a level, runs of {@code /}). What the rule itself says is {@link TopicFilterPropertiesTest}'s
 * business.
 */
class TopicFilterMacroPropertiesTest {
    private static Database db;

    record Pair(String filter, String topic) {}

    @BeforeContainer
    static void open() throws SQLException {
        db = Database.inMemory();
    }

    @AfterContainer
    static void close() throws SQLException {
        db.close();
    }

    @Property(tries = 200)
    void macro_equals_java_on_level_lists(@ForAll("levelPairs") List<Pair> pairs) throws SQLException {
        assertSameAnswers(pairs);
        Statistics.coverage(c -> {
            c.check(true).percentage(p -> p > 20);
            c.check(false).percentage(p -> p > 20);
        });
    }

    @Property(tries = 100)
    void macro_equals_java_on_small_alphabet_strings(@ForAll("charPairs") List<Pair> pairs) throws SQLException {
        assertSameAnswers(pairs);
        Statistics.coverage(c -> c.check(true).percentage(p -> p > 2));
    }

    /** The cases where the two copies differed before they were made one rule, and NULL. */
    @Example
    void empty_invalid_dollar_and_null_inputs() throws SQLException {
        assertSameAnswers(List.of(
                new Pair("#", ""), new Pair("+", ""), new Pair("", ""), new Pair("", "a"), new Pair("a", ""),
                new Pair("a/#/b", "a/#/b"), new Pair("#/a", "#/a"), new Pair("a/#/#", "a/#/#"),
                new Pair("#", "$x"), new Pair("+/a", "$x/a"), new Pair("$x/#", "$x"), new Pair("#b", "#b"),
                new Pair("a+", "a+"), new Pair("+", "/"), new Pair("/+", "/"), new Pair("+/#", "/"),
                new Pair(null, "a"), new Pair("a", null), new Pair(null, null)));
        assertThat(macro(List.of(new Pair("#", "")))).containsExactly(false);
        assertThat(macro(List.of(new Pair(null, "a")))).containsExactly(false);
    }

    /**
     * The places users put the macro: a correlated subquery (DuckDB cannot bind a lambda that names an outer column,
     * so the macro's lambda must not) and the ON clause of an outer join (no scalar subquery allowed there).
     */
    @Example
    void macro_works_in_correlated_subqueries_and_outer_joins() throws SQLException {
        String topics = "(VALUES ('f/d1/s/x'), ('f/d2/y'), ('$x/a')) p(topic)";
        String filters = "(VALUES ('f/+/+'), ('f/d1/#'), ('#')) s(filter)";
        assertThat(longs("SELECT count(*) FROM " + topics + " WHERE EXISTS (SELECT 1 FROM " + filters
                + " WHERE topic_matches(s.filter, p.topic) AND s.filter <> '#')")).containsExactly(2L);
        assertThat(longs("SELECT count(s.filter) FROM " + topics + " LEFT JOIN " + filters
                + " ON topic_matches(s.filter, p.topic) GROUP BY p.topic ORDER BY p.topic")).containsExactly(0L, 2L, 2L);
    }

    private static List<Long> longs(String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static void assertSameAnswers(List<Pair> pairs) throws SQLException {
        List<Boolean> sql = macro(pairs);
        for (int i = 0; i < pairs.size(); i++) {
            Pair p = pairs.get(i);
            boolean java = TopicFilter.matches(p.filter(), p.topic());
            assertThat(sql.get(i)).as("topic_matches('%s', '%s')", p.filter(), p.topic()).isEqualTo(java);
            Statistics.collect(java);
        }
    }

    /** The topic_levels macro counts levels as {@link TopicFilter#levels} (Spark's topic_levels) does. */
    @Property(tries = 100)
    void levels_macro_equals_java(@ForAll("charPairs") List<Pair> pairs) throws SQLException {
        List<String> topics = new ArrayList<>();
        for (Pair p : pairs) {
            topics.add(p.filter());
            topics.add(p.topic());
        }
        topics.add(null);
        StringBuilder sql = new StringBuilder("SELECT topic_levels(t) FROM (VALUES ");
        for (int i = 0; i < topics.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?::INTEGER, ?::VARCHAR)");
        }
        sql.append(") v(i, t) ORDER BY i");
        try (PreparedStatement s = db.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < topics.size(); i++) {
                s.setInt(2 * i + 1, i);
                s.setString(2 * i + 2, topics.get(i));
            }
            try (ResultSet rs = s.executeQuery()) {
                for (String t : topics) {
                    assertThat(rs.next()).isTrue();
                    Object v = rs.getObject(1);
                    assertThat(v == null ? null : ((Number) v).intValue()).as("topic_levels('%s')", t)
                            .isEqualTo(TopicFilter.levels(t));
                }
            }
        }
    }

    /** topic_matches for every pair, in one query; NULL would fail the comparison with Java's boolean. */
    private static List<Boolean> macro(List<Pair> pairs) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT topic_matches(f, t) FROM (VALUES ");
        for (int i = 0; i < pairs.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(?::INTEGER, ?::VARCHAR, ?::VARCHAR)");
        }
        sql.append(") v(i, f, t) ORDER BY i");
        List<Boolean> out = new ArrayList<>();
        try (PreparedStatement s = db.connection().prepareStatement(sql.toString())) {
            for (int i = 0; i < pairs.size(); i++) {
                s.setInt(3 * i + 1, i);
                s.setString(3 * i + 2, pairs.get(i).filter());
                s.setString(3 * i + 3, pairs.get(i).topic());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Object v = rs.getObject(1);
                    out.add(v == null ? null : (Boolean) v);
                }
            }
        }
        assertThat(out).hasSize(pairs.size());
        return out;
    }

    @Provide
    Arbitrary<List<Pair>> levelPairs() {
        Arbitrary<List<String>> filter = Arbitraries.of("", "+", "#", "$x", "a", "b", "a+", "#b").list()
                .ofMinSize(1).ofMaxSize(5);
        Arbitrary<String> topicLevel = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("a", "b", "")), Tuple.of(1, Arbitraries.of("$x", "+", "#", "a+", "#b")));
        Arbitrary<List<String>> topic = topicLevel.list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Pair> independent = Combinators.combine(filter, topic)
                .as((f, t) -> new Pair(String.join("/", f), String.join("/", t)));
        Arbitrary<Pair> filledIn = Combinators.combine(filter, topicLevel.list().ofSize(12), Arbitraries.integers()
                .between(0, 3)).as(TopicFilterMacroPropertiesTest::fillIn);
        return Arbitraries.oneOf(independent, filledIn).list().ofMinSize(1).ofMaxSize(200)
                .withSizeDistribution(RandomDistribution.uniform());
    }

    /** A topic the filter should match: each '+' level becomes one level, each '#' level zero to three levels. */
    private static Pair fillIn(List<String> filter, List<String> levels, int hashLevels) {
        List<String> topic = new ArrayList<>();
        int next = 0;
        for (String level : filter) {
            if (level.equals("+")) {
                topic.add(levels.get(next++ % levels.size()));
            } else if (level.equals("#")) {
                for (int k = 0; k < hashLevels; k++) {
                    topic.add(levels.get(next++ % levels.size()));
                }
            } else {
                topic.add(level);
            }
        }
        return new Pair(String.join("/", filter), String.join("/", topic));
    }

    @Provide
    Arbitrary<List<Pair>> charPairs() {
        Arbitrary<String> filter = Arbitraries.strings().withChars('a', 'b', '+', '#', '/', '$').ofMaxLength(9);
        Arbitrary<String> topic = Arbitraries.strings().withChars('a', 'b', '+', '#', '/', '$').ofMaxLength(9);
        return Combinators.combine(filter, topic).as(Pair::new).list().ofMinSize(1).ofMaxSize(200)
                .withSizeDistribution(RandomDistribution.uniform());
    }
}
