package org.iotpcap.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisResult;

/**
 * What {@code run} prints, whichever engine ran the analyses (DuckDB here, Spark for {@code iotpcap-spark run}):
 * one analysis with its resolved parameters, evidence, answer and display filter, as text or JSON; or, for
 * {@code run all}, a summary table of answers (text) or an array of results with their evidence (JSON).
 */
public final class RunOutput {
    private RunOutput() {}

    /** {@code --format}. */
    public enum Format { text, json }

    /** One analysis's result, its evidence rows read to the end (at most {@code rowLimit} printed). */
    public static void one(PrintWriter out, Format format, AnalysisResult r, ResultRows evidence, long rowLimit)
            throws IOException, SQLException {
        if (format == Format.json) {
            JsonGenerator g = Json.open(out);
            writeJson(g, r, evidence, rowLimit);
            Json.finish(g, out);
        } else {
            printText(out, r, evidence, rowLimit);
        }
    }

    /** Every analysis of {@code run all}, one after another, printed (text) or ended (JSON) by {@link #close}. */
    public static final class All implements AutoCloseable, RunEngine.Evidence {
        private final PrintWriter out;
        private final Format format;
        private final long rowLimit;
        private final JsonGenerator g;
        private final List<List<Object>> rows = new ArrayList<>();

        public All(PrintWriter out, Format format, long rowLimit) throws IOException {
            this.out = out;
            this.format = format;
            this.rowLimit = rowLimit;
            this.g = format == Format.json ? Json.open(out) : null;
            if (g != null) {
                g.writeStartArray();
            }
        }

        @Override
        public void read(AnalysisResult r, ResultRows evidence) throws IOException, SQLException {
            if (g != null) {
                writeJson(g, r, evidence, rowLimit);
            } else {
                rows.add(List.of(r.analysis().name(), String.valueOf(r.answer()), parameterText(r)));
            }
        }

        /** The table of answers has no display filters; the JSON results do. */
        @Override
        public boolean framesWanted() {
            return g != null;
        }

        /** An analysis whose server name the capture never resolves. */
        public void unresolved(Analysis a, String message) throws IOException {
            if (g != null) {
                g.writeStartObject();
                g.writeStringField("analysis", a.name());
                g.writeStringField("error", message);
                g.writeEndObject();
            } else {
                rows.add(List.of(a.name(), "n/a", message));
            }
        }

        @Override
        public void close() throws IOException {
            if (g != null) {
                g.writeEndArray();
                Json.finish(g, out);
            } else {
                Tables.table(out, List.of("analysis", "answer", "parameters"), rows, Integer.MAX_VALUE);
            }
        }
    }

    /** One line of parameters for the summary table: {@code broker=name (addresses)}. */
    private static String parameterText(AnalysisResult r) {
        List<String> parts = new ArrayList<>();
        for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
            String s = p.name() + "=" + p.value();
            if (!p.addresses().isEmpty() && p.addresses().get(0).frame() != null) {
                s += " (" + String.join(", ", p.addresses().stream().map(AnalysisResult.ResolvedAddress::address).toList()) + ")";
            }
            parts.add(s);
        }
        return String.join(" ", parts);
    }

    /** {@code analysis}, {@code parameters}, {@code answer}, {@code evidence} (at most the limit), {@code evidence_total}. */
    private static void writeJson(JsonGenerator g, AnalysisResult r, ResultRows evidence, long rowLimit)
            throws IOException, SQLException {
        g.writeStartObject();
        g.writeStringField("analysis", r.analysis().name());
        g.writeObjectFieldStart("parameters");
        for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
            g.writeFieldName(p.name());
            if (r.analysis().parameter(p.name()).isAddresses()) {
                writeAddresses(g, p);
            } else {
                g.writeString(p.value());
            }
        }
        g.writeEndObject();
        g.writeFieldName("answer");
        Json.value(g, r.answer());
        g.writeStringField("display_filter", r.displayFilter());
        g.writeFieldName("evidence");
        Json.rows(g, evidence, rowLimit);
        g.writeNumberField("evidence_total", r.evidenceTotal());
        g.writeEndObject();
    }

    private static void writeAddresses(JsonGenerator g, AnalysisResult.ResolvedParameter p) throws IOException {
        g.writeStartObject();
        g.writeStringField("value", p.value());
        g.writeArrayFieldStart("addresses");
        for (AnalysisResult.ResolvedAddress a : p.addresses()) {
            g.writeStartObject();
            g.writeStringField("address", a.address());
            g.writeFieldName("dns_frame");
            Json.value(g, a.frame());
            g.writeStringField("via", a.via());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void printText(PrintWriter out, AnalysisResult r, ResultRows evidence, long rowLimit)
            throws SQLException {
        out.println("analysis: " + r.analysis().name());
        if (!r.analysis().question().isEmpty()) {
            out.println("question: " + r.analysis().question());
        }
        out.println("parameters:");
        for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
            out.println("  " + p.name() + " = " + p.value() + (p.meaning() != null ? "  (" + p.meaning() + ")" : ""));
            for (AnalysisResult.ResolvedAddress a : p.addresses()) {
                out.println("    " + a.address() + (a.frame() != null ? "  (DNS answer in frame " + a.frame()
                        + (a.via() != null && !a.via().isEmpty() ? ", via " + a.via() : "") + ")" : ""));
            }
        }
        out.println("evidence:");
        Tables.Collected c = Tables.collect(evidence, rowLimit);
        Tables.table(out, c.columns(), c.rows(), 60, c.total());
        out.println("answer: " + r.answer());
        out.println("display filter: " + (r.displayFilter() == null ? "none (the evidence names no frames)" : r.displayFilter()));
    }
}
