package org.iotpcap.sql;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
}
