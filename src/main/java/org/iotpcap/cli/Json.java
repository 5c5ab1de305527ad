package org.iotpcap.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.iotpcap.analysis.SqlValues;

/**
 * The CLI's JSON output (RFC 8259), written by Jackson's streaming {@link JsonGenerator} straight to the output:
 * nothing is built whole in memory, rows go out one at a time as the {@link ResultSet} yields them.
 *
 * <p>Objects keep the order their keys are written in (a {@link Map} is written in its iteration order, so
 * callers pass ordered maps). A floating-point NaN or infinity, which JSON cannot express, is written as
 * {@code null}. Values JSON has no type for (timestamps, blobs, lists) are written as DuckDB's text for them
 * ({@link SqlValues#plain}). Output is indented by two spaces, {@code "key": value}, one value per line.
 */
final class Json {
    private Json() {}

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    /** A generator over {@code out}; {@link #finish} ends the document. The caller owns {@code out}. */
    static JsonGenerator open(PrintWriter out) throws IOException {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        return FACTORY.createGenerator(out).setPrettyPrinter(pretty);
    }

    /** Flushes the generator and ends the document with a newline. */
    static void finish(JsonGenerator g, PrintWriter out) throws IOException {
        g.close();
        out.println();
        out.flush();
    }

    /** Writes one value (ordered maps, collections, strings, numbers, booleans, null) as a whole document. */
    static void write(PrintWriter out, Object value) throws IOException {
        JsonGenerator g = open(out);
        value(g, value);
        finish(g, out);
    }

    /** Writes one value; maps and collections recursively. */
    static void value(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Double d -> number(g, d);
            case Float f -> number(g, f.doubleValue());
            case BigDecimal d -> g.writeNumber(d);
            case BigInteger i -> g.writeNumber(i);
            case Number n -> g.writeNumber(n.longValue());
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    value(g, e.getValue());
                }
                g.writeEndObject();
            }
            case Collection<?> c -> {
                g.writeStartArray();
                for (Object o : c) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeString(v.toString());
        }
    }

    private static void number(JsonGenerator g, double d) throws IOException {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            g.writeNull();
        } else {
            g.writeNumber(d);
        }
    }

    /**
     * Writes the rows of {@code rs} as an array of objects keyed by column label, at most {@code limit} of them,
     * and reads on to the end; returns how many rows there were in all.
     */
    static long rows(JsonGenerator g, ResultSet rs, long limit) throws IOException, SQLException {
        return rows(g, ResultRows.of(rs), limit);
    }

    static long rows(JsonGenerator g, ResultRows rs, long limit) throws IOException, SQLException {
        List<String> cols = rs.columns();
        long total = 0;
        g.writeStartArray();
        while (rs.next()) {
            if (total++ < limit) {
                g.writeStartObject();
                for (int i = 0; i < cols.size(); i++) {
                    g.writeFieldName(cols.get(i));
                    value(g, SqlValues.plain(rs.value(i)));
                }
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        return total;
    }

    static List<String> columns(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> cols = new ArrayList<>(md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
            cols.add(md.getColumnLabel(i));
        }
        return cols;
    }
}
