package org.iotpcap.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.iotpcap.ip.IpAddress;

/**
 * Runs an analysis over a loaded database: validates and resolves its parameters, defines an
 * {@code in_NAME(column)} macro per address parameter, substitutes the scalars and runs the SQL once, into a
 * temporary table of evidence rows from which the answer, the row count and the rows themselves are read.
 *
 * <p>An address parameter is a DNS name, a list of addresses, {@code any}, or {@code local}: the loopback rule
 * of {@link IpAddress#isLoopback()}, whose SQL form and wording come from the same class.
 */
public final class AnalysisRunner {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** The temporary table holding the evidence of the analysis being run (replaced by the next run). */
    private static final String EVIDENCE = "_analysis_evidence";
    /** The address-parameter words for the loopback addresses and for every address. */
    private static final String LOCAL = "local";
    private static final String ANY = "any";

    private final Connection connection;

    public AnalysisRunner(Connection connection) {
        this.connection = connection;
    }

    /** Reads the evidence rows of a run, in the analysis's order, while the runner holds them. */
    @FunctionalInterface
    public interface EvidenceReader {
        void read(AnalysisResult result, ResultSet evidence) throws SQLException, IOException;

        /**
         * Whether the reader uses the result's evidence frames (its display filter); when not, they are not
         * gathered ({@link AnalysisResult#evidenceFrames()} null): a query over all the evidence saved.
         */
        default boolean framesWanted() {
            return true;
        }
    }

    /** Runs the analysis for its answer only. */
    public AnalysisResult run(Analysis a, Map<String, String> given) throws SQLException {
        try {
            return run(a, given, (r, rs) -> { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the analysis's SQL once into a temporary table, reads the answer and the row count from it, then
     * hands the rows to {@code reader}; the table is dropped before returning.
     */
    public AnalysisResult run(Analysis a, Map<String, String> given, EvidenceReader reader)
            throws SQLException, IOException {
        Prepared p = prepare(a, given, this::lookUp);
        for (Map.Entry<String, String> m : p.addressMacros().entrySet()) {
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE OR REPLACE TEMP MACRO " + m.getKey() + "(" + MACRO_ARGUMENT + ") AS " + m.getValue());
            }
        }
        Map<String, AnalysisResult.ResolvedParameter> resolved = p.parameters();
        String sql = p.sql();
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + EVIDENCE + " AS " + sql);
            try {
                AnalysisResult result;
                java.util.SortedSet<Long> frames = reader.framesWanted() ? evidenceFrames(s) : null;
                try (ResultSet rs = s.executeQuery("SELECT count(*), " + a.answer() + " FROM " + EVIDENCE)) {
                    rs.next();
                    result = new AnalysisResult(a, resolved, SqlValues.plain(rs.getObject(2)), rs.getLong(1),
                            frames);
                }
                try (ResultSet rows = s.executeQuery("SELECT * FROM " + EVIDENCE)) {
                    reader.read(result, rows);
                }
                return result;
            } finally {
                s.execute("DROP TABLE IF EXISTS " + EVIDENCE);
            }
        }
    }

    /** The argument of every address macro {@code in_NAME(a)}: its body is a condition on {@code a}. */
    public static final String MACRO_ARGUMENT = "a";

    /**
     * The query that resolves a DNS name from the capture's own answers ({@code ?}: the name, without a final
     * dot), whichever engine runs it: the addresses, the frame of the answer that gave each, and the CNAME chain.
     */
    public static final String NAMES_QUERY =
            "SELECT address, first_frame, chain FROM names WHERE lower(name) = lower(?) ORDER BY first_frame, address";

    /** Runs {@link #NAMES_QUERY} on an engine: its rows, in order. */
    @FunctionalInterface
    public interface NameLookup {
        List<AnalysisResult.ResolvedAddress> lookUp(String name) throws SQLException;
    }

    /**
     * An analysis ready to run on an engine: its parameters validated and resolved, its scalars substituted into
     * the SQL, and the body of each address parameter's macro {@code in_NAME(a)} (a condition on
     * {@link #MACRO_ARGUMENT}: the loopback rule, {@code a IS NOT NULL}, or {@code a IN (...)}).
     */
    public record Prepared(Analysis analysis, Map<String, AnalysisResult.ResolvedParameter> parameters,
                           Map<String, String> addressMacros, String sql) {}

    /** Everything of a run that does not depend on the engine; {@code names} resolves DNS names. */
    public static Prepared prepare(Analysis a, Map<String, String> given, NameLookup names) throws SQLException {
        for (String key : given.keySet()) {
            if (a.parameter(key) == null) {
                throw new IllegalArgumentException("analysis " + a.name() + " has no parameter '" + key + "' (it has: "
                        + String.join(", ", a.parameters().stream().map(Parameter::name).toList()) + ")");
            }
        }
        Map<String, AnalysisResult.ResolvedParameter> resolved = new LinkedHashMap<>();
        Map<String, String> literals = new LinkedHashMap<>();
        Map<String, String> macros = new LinkedHashMap<>();
        for (Parameter p : a.parameters()) {
            String value = given.getOrDefault(p.name(), p.defaultValue());
            if (p.isAddresses()) {
                List<AnalysisResult.ResolvedAddress> addresses = resolveAddresses(p, value, names);
                macros.put("in_" + p.name(), macroBody(value, addresses));
                resolved.put(p.name(), new AnalysisResult.ResolvedParameter(p.name(), value, meaning(value), addresses));
            } else {
                literals.put(p.name(), p.literal(value));
                resolved.put(p.name(), new AnalysisResult.ResolvedParameter(p.name(), value, null, List.of()));
            }
        }
        return new Prepared(a, resolved, macros, substitute(a, literals));
    }

    private List<AnalysisResult.ResolvedAddress> lookUp(String name) throws SQLException {
        List<AnalysisResult.ResolvedAddress> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(NAMES_QUERY)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AnalysisResult.ResolvedAddress(rs.getString(1), rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * The frames the evidence names (see {@link AnalysisResult#evidenceFrames()}): the distinct values of its
     * {@code frame} and {@code *_frame} columns, read from the evidence table in one query; null without such a
     * column, or when the evidence comes from several captures (frames are numbered per capture file, so no one
     * display filter selects them).
     */
    private static java.util.SortedSet<Long> evidenceFrames(Statement s) throws SQLException {
        List<String> cols = new java.util.ArrayList<>();
        boolean hasCapture = false;
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + EVIDENCE + " LIMIT 0")) {
            var md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String c = md.getColumnName(i);
                if (AnalysisResult.isFrameColumn(c)) {
                    cols.add("TRY_CAST(\"" + c.replace("\"", "\"\"") + "\" AS BIGINT)");
                }
                hasCapture |= c.equals("capture");
            }
        }
        if (cols.isEmpty()) {
            return null;
        }
        if (hasCapture) {
            try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT capture) FROM " + EVIDENCE)) {
                rs.next();
                if (rs.getLong(1) > 1) {
                    return null;
                }
            }
        }
        java.util.TreeSet<Long> frames = new java.util.TreeSet<>();
        try (ResultSet rs = s.executeQuery("SELECT DISTINCT f FROM (SELECT unnest([" + String.join(", ", cols)
                + "]) AS f FROM " + EVIDENCE + ") WHERE f IS NOT NULL")) {
            while (rs.next()) {
                frames.add(rs.getLong(1));
            }
        }
        return frames;
    }

    private static String substitute(Analysis a, Map<String, String> literals) {
        Matcher m = PLACEHOLDER.matcher(a.sql());
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            String lit = literals.get(m.group(1));
            if (lit == null) {
                throw new IllegalStateException(a.source() + ": ${" + m.group(1) + "} is not a declared scalar parameter");
            }
            m.appendReplacement(sql, Matcher.quoteReplacement(lit));
        }
        m.appendTail(sql);
        return sql.toString();
    }

    /** What {@code local} and {@code any} stand for; null for names and addresses. */
    private static String meaning(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase(LOCAL)) {
            return "loopback: " + IpAddress.LOOPBACK_TEXT;
        }
        return v.equalsIgnoreCase(ANY) ? "every address" : null;
    }

    /** local, any, a list of addresses, or a DNS name answered in the capture (CNAME chains followed). */
    private static List<AnalysisResult.ResolvedAddress> resolveAddresses(Parameter p, String value, NameLookup names)
            throws SQLException {
        String v = value.strip();
        if (v.equalsIgnoreCase(LOCAL) || v.equalsIgnoreCase(ANY)) {
            return List.of();
        }
        List<AnalysisResult.ResolvedAddress> out = new ArrayList<>();
        if (looksLikeAddresses(v)) {
            for (String part : v.split(",")) {
                try {
                    out.add(new AnalysisResult.ResolvedAddress(IpAddress.parse(part).toString(), null, null));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("parameter " + p.name() + ": '" + part.strip()
                            + "' is not an IP address");
                }
            }
            return out;
        }
        // One address once: several captures of a dataset may each resolve the name to it (the first answer, by
        // frame, is kept).
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (AnalysisResult.ResolvedAddress r : names.lookUp(v.endsWith(".") ? v.substring(0, v.length() - 1) : v)) {
            if (seen.add(r.address())) {
                out.add(r);
            }
        }
        if (out.isEmpty()) {
            throw new UnresolvedNameException("parameter " + p.name() + ": the capture has no DNS answer for '" + v
                    + "' (give its addresses instead, e.g. --set " + p.name() + "=192.0.2.1)");
        }
        return out;
    }

    private static boolean looksLikeAddresses(String v) {
        return v.matches("[0-9a-fA-F:.,\\[\\] ]+") && (v.contains(":") || v.matches("[0-9., ]+"));
    }

    /** The condition on {@link #MACRO_ARGUMENT} that an address parameter's value stands for. */
    private static String macroBody(String value, List<AnalysisResult.ResolvedAddress> addresses) {
        String a = MACRO_ARGUMENT;
        if (value.strip().equalsIgnoreCase(LOCAL)) {
            return IpAddress.loopbackSql(a);
        }
        if (value.strip().equalsIgnoreCase(ANY)) {
            return "(" + a + " IS NOT NULL)";
        }
        StringBuilder in = new StringBuilder();
        for (AnalysisResult.ResolvedAddress r : addresses) {
            in.append(in.isEmpty() ? "" : ", ").append('\'').append(r.address().replace("'", "''")).append('\'');
        }
        return "(" + a + " IN (" + in + "))";
    }

    /** A server named by DNS name that the capture never resolves. */
    public static final class UnresolvedNameException extends IllegalArgumentException {
        public UnresolvedNameException(String message) {
            super(message);
        }
    }
}
