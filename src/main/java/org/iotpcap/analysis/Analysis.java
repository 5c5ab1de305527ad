package org.iotpcap.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotpcap.dissect.Binding;

/**
 * A named analysis: one readable SQL file whose header declares what it answers and its parameters.
 *
 * <pre>
 * -- name: coap-unsuccessful-puts
 * -- question: How many different Confirmable PUT requests obtained an unsuccessful response ...?
 * -- description: Counts distinct Confirmable PUT requests sent to ... (one line per header line allowed)
 * -- param: server addresses local  The CoAP server: a DNS name, local, any, or addresses
 * -- param: port int 5683  The server's UDP port
 * SELECT ...   -- the evidence rows; the answer is their number
 * </pre>
 *
 * The query's result rows are the evidence; the answer is how many there are, or the aggregate that an
 * optional {@code -- answer: EXPR} header computes over them (e.g. {@code count(*) FILTER (WHERE delivered)}).
 * A {@code -- decode: udp.port==${port}:mqttsn} header names the binding the analysis needs to see its traffic
 * on a non-default port: {@code run} adds it, with the parameter's value, when it reads a capture.
 */
public record Analysis(String name, String question, String description, List<Parameter> parameters, String sql,
                       String answer, List<String> decodes, String source) {
    private static final Pattern HEADER = Pattern.compile("^--\\s*(name|question|description|param|answer|decode):\\s*(.*)$");
    private static final Pattern PARAM = Pattern.compile("^(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*(.*)$");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    public static Analysis parse(String text, String source) {
        String name = null;
        String answer = "count(*)";
        List<String> decodes = new ArrayList<>();
        StringBuilder question = new StringBuilder();
        StringBuilder description = new StringBuilder();
        List<Parameter> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            Matcher m = HEADER.matcher(line.strip());
            if (sql.isEmpty() && m.matches()) {
                String v = m.group(2).strip();
                switch (m.group(1)) {
                    case "name" -> name = v;
                    case "question" -> question.append(question.isEmpty() ? "" : " ").append(v);
                    case "description" -> description.append(description.isEmpty() ? "" : " ").append(v);
                    case "answer" -> answer = v;
                    case "decode" -> decodes.add(v);
                    default -> {
                        Matcher p = PARAM.matcher(v);
                        if (!p.matches()) {
                            throw new IllegalArgumentException(source + ": bad param line: " + v);
                        }
                        params.add(new Parameter(p.group(1), p.group(2), p.group(3), p.group(4).strip()));
                    }
                }
            } else if (!sql.isEmpty() || !line.strip().startsWith("--") && !line.isBlank()) {
                sql.append(line).append('\n');
            }
        }
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(source + ": missing or bad '-- name:' header");
        }
        String body = sql.toString().strip();
        if (body.endsWith(";")) {
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty()) {
            throw new IllegalArgumentException(source + ": no SQL");
        }
        return new Analysis(name, question.toString(), description.toString(), List.copyOf(params), body, answer,
                List.copyOf(decodes), source);
    }

    public Parameter parameter(String key) {
        for (Parameter p : parameters) {
            if (p.name().equals(key)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The decode-as bindings this analysis needs, with parameters substituted (validated as by the runner);
     * an {@link IllegalArgumentException} names a value that makes no binding.
     */
    public List<Binding> bindings(Map<String, String> given) {
        List<Binding> out = new ArrayList<>();
        for (String d : decodes) {
            String b = d;
            for (Parameter p : parameters) {
                String value = given.getOrDefault(p.name(), p.defaultValue());
                b = b.replace("${" + p.name() + "}", p.isAddresses() ? value : p.literal(value).replace("'", ""));
            }
            out.add(Binding.parse(b));
        }
        return out;
    }

    /** The tables the SQL names (a word match on every table name), for loading only what it reads. */
    public java.util.Set<org.iotpcap.table.TableDeclaration> tables() {
        java.util.Set<org.iotpcap.table.TableDeclaration> out = new java.util.LinkedHashSet<>();
        String lower = sql.toLowerCase(java.util.Locale.ROOT);
        for (org.iotpcap.table.TableDeclaration t : org.iotpcap.semantic.tables.Tables.ALL) {
            if (Pattern.compile("\\b" + t.name() + "\\b").matcher(lower).find()) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * The tables and columns a capture's load must fill for {@code analyses}: of each table an analysis names (a
     * word match, {@link org.iotpcap.sql.SqlWords}), the columns named by the analyses that name the table (an
     * analysis reads no table it does not name) and those derive.sql and the macros read; every column of the
     * tables of an analysis whose {@code *} may read them all; and whole the tables that resolve names into
     * addresses.
     */
    public static org.iotpcap.table.Projection projection(java.util.Collection<Analysis> analyses) {
        java.util.Map<org.iotpcap.table.TableDeclaration, java.util.Set<String>> names = new java.util.LinkedHashMap<>();
        java.util.Set<org.iotpcap.table.TableDeclaration> whole = new java.util.LinkedHashSet<>(java.util.List.of(
                org.iotpcap.semantic.tables.Names.T, org.iotpcap.semantic.tables.DnsAnswers.T));
        java.util.Set<String> own = org.iotpcap.sql.Database.ownSqlWords();
        for (Analysis a : analyses) {
            java.util.Set<String> words = a.words();
            for (org.iotpcap.table.TableDeclaration t : a.tables()) {
                names.computeIfAbsent(t, k -> new java.util.HashSet<>(own)).addAll(words);
            }
            if (a.mayReadEveryColumn()) {
                whole.addAll(a.tables());
            }
        }
        return org.iotpcap.table.Projection.named(names, whole);
    }

    /** The lower-case words of the SQL: every name it could read. */
    public java.util.Set<String> words() {
        return org.iotpcap.sql.SqlWords.of(sql);
    }

    /** Whether a {@code *} of the SQL may stand for every column of its tables. */
    public boolean mayReadEveryColumn() {
        return org.iotpcap.sql.SqlWords.mayReadEveryColumn(sql, new java.util.HashSet<>(org.iotpcap.semantic.tables.Tables.ALL));
    }

    public Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            m.put(p.name(), p.defaultValue());
        }
        return m;
    }
}
