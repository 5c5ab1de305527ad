package org.iotpcap.analysis;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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
 * {@code in_NAME(column)} macro per address parameter, substitutes the scalars and runs the SQL.
 */
public final class AnalysisRunner {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Connection connection;

    public AnalysisRunner(Connection connection) {
        this.connection = connection;
    }

    public AnalysisResult run(Analysis a, Map<String, String> given) throws SQLException {
        for (String key : given.keySet()) {
            if (a.parameter(key) == null) {
                throw new IllegalArgumentException("analysis " + a.name() + " has no parameter '" + key + "' (it has: "
                        + String.join(", ", a.parameters().stream().map(Parameter::name).toList()) + ")");
            }
        }
        Map<String, AnalysisResult.ResolvedParameter> resolved = new LinkedHashMap<>();
        Map<String, String> literals = new LinkedHashMap<>();
        for (Parameter p : a.parameters()) {
            String value = given.getOrDefault(p.name(), p.defaultValue());
            if (p.isAddresses()) {
                List<AnalysisResult.ResolvedAddress> addresses = resolveAddresses(p, value);
                defineMacro(p.name(), value, addresses);
                resolved.put(p.name(), new AnalysisResult.ResolvedParameter(p.name(), value, addresses));
            } else {
                literals.put(p.name(), p.literal(value));
                resolved.put(p.name(), new AnalysisResult.ResolvedParameter(p.name(), value, List.of()));
            }
        }
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
        List<String> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql.toString())) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(SqlValues.plain(rs.getObject(i)));
                }
                rows.add(row);
            }
        }
        Object answer;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + a.answer() + " FROM (" + sql + ") AS evidence")) {
            rs.next();
            answer = SqlValues.plain(rs.getObject(1));
        }
        return new AnalysisResult(a, resolved, columns, rows, answer);
    }

    /** local, any, a list of addresses, or a DNS name answered in the capture (CNAME chains followed). */
    private List<AnalysisResult.ResolvedAddress> resolveAddresses(Parameter p, String value) throws SQLException {
        String v = value.strip();
        if (v.equalsIgnoreCase("local") || v.equalsIgnoreCase("any")) {
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
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT address, first_frame, chain FROM names WHERE lower(name) = lower(?) ORDER BY first_frame, address")) {
            ps.setString(1, v.endsWith(".") ? v.substring(0, v.length() - 1) : v);
            try (ResultSet rs = ps.executeQuery()) {
                // One address once: several captures of a dataset may each resolve the name to it (the first
                // answer, by frame, is kept).
                java.util.Set<String> seen = new java.util.HashSet<>();
                while (rs.next()) {
                    if (seen.add(rs.getString(1))) {
                        out.add(new AnalysisResult.ResolvedAddress(rs.getString(1), rs.getLong(2), rs.getString(3)));
                    }
                }
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

    private void defineMacro(String name, String value, List<AnalysisResult.ResolvedAddress> addresses)
            throws SQLException {
        String body;
        if (value.strip().equalsIgnoreCase("local")) {
            body = "(a LIKE '127.%' OR a = '::1')";
        } else if (value.strip().equalsIgnoreCase("any")) {
            body = "(a IS NOT NULL)";
        } else {
            StringBuilder in = new StringBuilder();
            for (AnalysisResult.ResolvedAddress r : addresses) {
                in.append(in.isEmpty() ? "" : ", ").append('\'').append(r.address().replace("'", "''")).append('\'');
            }
            body = "(a IN (" + in + "))";
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP MACRO in_" + name + "(a) AS " + body);
        }
    }

    /** A server named by DNS name that the capture never resolves. */
    public static final class UnresolvedNameException extends IllegalArgumentException {
        public UnresolvedNameException(String message) {
            super(message);
        }
    }
}
