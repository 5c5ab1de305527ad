package org.iotpcap.sql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;

/**
 * The words of SQL text, for loading only the tables and columns a query can read: a table or column counts as
 * read when its name appears as a word anywhere in the text (comments and string literals included, so a
 * word match never leaves out what the query needs, at worst it keeps more). A {@code *} that can stand for
 * a table's columns makes every column of the query's tables count.
 */
public final class SqlWords {
    private static final Pattern WORD = Pattern.compile("[a-z_][a-z0-9_]*");
    /** {@code count(*)}, and {@code SELECT * FROM name} (whether name is a table is checked separately). */
    private static final Pattern COUNT_STAR = Pattern.compile("count\\s*\\(\\s*\\*\\s*\\)");
    private static final Pattern SELECT_STAR_FROM = Pattern.compile("select\\s+\\*\\s+from\\s+([a-z_][a-z0-9_]*)\\b(?!\\s*\\.)");

    private SqlWords() {}

    /** The lower-case words of {@code sql}. */
    public static Set<String> of(String sql) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = WORD.matcher(sql.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * Whether {@code sql} has a {@code *} that may stand for the columns of a table: any but {@code count(*)} and
     * {@code SELECT * FROM x} where x is no table (a common table expression's name, whose columns the query names
     * itself).
     */
    public static boolean mayReadEveryColumn(String sql, Set<? extends TableDeclaration> tables) {
        String lower = sql.toLowerCase(Locale.ROOT).replaceAll("(?m)--.*$", "");
        lower = COUNT_STAR.matcher(lower).replaceAll("count()");
        Matcher m = SELECT_STAR_FROM.matcher(lower);
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            String from = m.group(1);
            boolean table = tables.stream().anyMatch(t -> t.name().equals(from));
            m.appendReplacement(rest, table ? "*" : "select from " + from);
        }
        m.appendTail(rest);
        return rest.indexOf("*") >= 0;
    }

    /**
     * What a capture's load must fill for SQL that a user wrote ({@code iotpcap query}): every column of each
     * table it names as a word, and the {@code names} table that derive.sql reads. Columns are not pruned, since
     * such SQL can read a whole row without a {@code *} ({@code FROM t}, {@code SELECT t FROM t},
     * {@code COPY t TO}, {@code COLUMNS(...)}). Every table is filled when the SQL names none, or when it reads
     * the catalog or a table by a name it builds ({@link #readsTablesUnnamed}).
     */
    public static Projection forQuery(String sql, java.util.Collection<? extends TableDeclaration> tables,
                                      TableDeclaration names) {
        Set<String> words = of(sql);
        if (readsTablesUnnamed(sql, words)) {
            return Projection.ALL;
        }
        Set<TableDeclaration> named = new LinkedHashSet<>();
        for (TableDeclaration t : tables) {
            if (words.contains(t.name())) {
                named.add(t);
            }
        }
        if (named.isEmpty()) {
            return Projection.ALL;
        }
        named.add(names);
        return Projection.of(named);
    }

    /**
     * Whether words of SQL may reach a table without naming it: DuckDB's catalog functions and views
     * ({@code duckdb_tables()}, {@code information_schema}, {@code pragma_*}, {@code storage_info}), and
     * {@code query_table(...)} and {@code query(...)} with SQL or a name built at run time, and
     * {@code EXPORT DATABASE}.
     */
    static boolean readsTablesUnnamed(String sql, Set<String> words) {
        if (QUERY_CALL.matcher(sql).find()) {
            return true;
        }
        for (String w : words) {
            if (w.startsWith("duckdb_") || w.startsWith("pragma") || UNNAMED_READERS.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static final Set<String> UNNAMED_READERS = Set.of(
            "information_schema", "query_table", "storage_info", "estimated_size", "export", "pg_catalog");
    /** {@code query(...)}: a table function; {@code query} alone is also a column name (coap_messages.query). */
    private static final Pattern QUERY_CALL = Pattern.compile("\\bquery\\s*\\(", Pattern.CASE_INSENSITIVE);
}
