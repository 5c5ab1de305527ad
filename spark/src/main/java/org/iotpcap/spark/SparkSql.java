package org.iotpcap.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The translation layer: the analyses are written once, in DuckDB's SQL (src/main/resources/.../analyses), and
 * Spark runs them after two rewrites, the only places where the two dialects differ in what the analyses use
 * (docs/spark.md lists the rest of the subset, which both read alike: CTEs, FILTER (WHERE ...), GROUP BY ALL,
 * TRY_CAST, split_part, correlated EXISTS, UNION ALL):
 * <ol>
 *   <li>{@code string_agg(DISTINCT x, ' ' ORDER BY x)}, DuckDB's ordered aggregate, becomes the SQL standard's
 *       {@code string_agg(DISTINCT x, ' ') WITHIN GROUP (ORDER BY x)}, which Spark reads (both skip NULLs and
 *       give NULL for none);</li>
 *   <li>the keys of the outermost {@code ORDER BY} get {@code NULLS LAST} unless they say otherwise: DuckDB puts
 *       NULLs last by default, Spark first when ascending, and the evidence is printed in that order.</li>
 * </ol>
 * The macros are functions on Spark ({@link IotpcapTables#registerFunctions}): {@code topic_matches} and
 * {@code topic_levels} are the Java rules themselves, {@code in_NAME} the same SQL bodies as DuckDB's macros.
 */
public final class SparkSql {
    private SparkSql() {}

    private static final Pattern ORDERED_STRING_AGG = Pattern.compile(
            "string_agg\\(\\s*((?:DISTINCT\\s+)?[^,()]+?)\\s*,\\s*('(?:[^']|'')*')\\s+ORDER\\s+BY\\s+([^()]+?)\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NULLS = Pattern.compile("\\bNULLS\\s+(FIRST|LAST)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ORDER_BY = Pattern.compile("\\bORDER\\s+BY\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern LIMIT = Pattern.compile("\\b(LIMIT|OFFSET)\\b", Pattern.CASE_INSENSITIVE);

    /** DuckDB's SQL of an analysis (or a query over the tables) as Spark SQL. */
    public static String translate(String duckdb) {
        String s = ORDERED_STRING_AGG.matcher(duckdb).replaceAll(m -> Matcher.quoteReplacement(
                "string_agg(" + m.group(1) + ", " + m.group(2) + ") WITHIN GROUP (ORDER BY " + m.group(3) + ")"));
        return nullsLast(s);
    }

    /** Adds NULLS LAST to the keys of the last ORDER BY outside parentheses and quotes. */
    static String nullsLast(String sql) {
        int at = -1;
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && (c == 'o' || c == 'O')) {
                Matcher m = ORDER_BY.matcher(sql).region(i, sql.length());
                if (m.lookingAt() && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)))) {
                    at = m.end();
                }
            }
        }
        if (at < 0) {
            return sql;
        }
        String keys = sql.substring(at);
        String tail = "";
        Matcher limit = LIMIT.matcher(keys);
        if (limit.find()) {
            tail = keys.substring(limit.start());
            keys = keys.substring(0, limit.start());
        }
        List<String> out = new ArrayList<>();
        for (String key : splitTopLevel(keys)) {
            String k = key.strip();
            out.add(NULLS.matcher(k).find() ? k : k + " NULLS LAST");
        }
        return sql.substring(0, at) + " " + String.join(", ", out) + (tail.isEmpty() ? "" : " " + tail);
    }

    private static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
