package org.iotpcap.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisCatalog;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.analysis.AnalysisRunner;
import org.iotpcap.analysis.Parameter;
import org.iotpcap.analysis.TimeWindow;
import org.iotpcap.semantic.tables.DnsAnswers;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.table.TableDeclaration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iotpcap run NAME CAPTURE}: one analysis with its evidence and answer; {@code run all CAPTURE}: every
 * analysis with its defaults, from one pass over the capture, as a summary table.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a named analysis (see 'iotpcap analyses'), or 'all' of them, printing the resolved "
                + "parameters, the evidence rows and the answer.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "an analysis name, or all")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CAPTURE", description = "capture files, directories (every *.pcap, *.pcapng, *.cap, *.gz under it) or globs; - for stdin; or one database from 'iotpcap index'")
    List<String> inputs;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a parameter value (repeatable)")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    InfoCommand.OutputFormat format;

    @Option(names = "--analyses", paramLabel = "DIR", description = "also load the analyses (*.sql) of this directory")
    Path dir;

    @Option(names = "--from", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only what happened at or after TIME (ISO 8601, e.g. 2024-05-03T15:59:00+02:00 or "
                    + "2024-05-03T15:59[Europe/Rome]; without an offset, in --tz)")
    TimeWindow.Point from;

    @Option(names = "--to", paramLabel = "TIME", converter = TimeConverter.class,
            description = "only what happened before TIME (ISO 8601, as --from)")
    TimeWindow.Point to;

    @Option(names = "--limit", paramLabel = "N",
            description = "print at most N evidence rows per analysis (the answer and the total count are unchanged)")
    Long limit;

    @Mixin
    TimeZoneOption timeZone = new TimeZoneOption();

    @Mixin
    InputOptions options = new InputOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AnalysisCatalog catalog = AnalysesCommand.catalog(dir);
        List<Analysis> analyses = chosen(catalog);
        Map<String, String> given = given();
        check(analyses, given);
        long rowLimit = rowLimit();
        ZoneId zone = timeZone.zone();
        if (!isAll()) {
            addBindings(analyses.get(0), given);
        }
        try (Source.Loaded loaded = Source.open(inputs, options, tablesToLoad(analyses))) {
            prepare(loaded, zone);
            AnalysisRunner runner = new AnalysisRunner(loaded.db().connection());
            PrintWriter out = spec.commandLine().getOut();
            if (isAll()) {
                runAll(runner, analyses, out, rowLimit);
            } else {
                runOne(runner, analyses.get(0), given, out, rowLimit);
            }
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }

    private boolean isAll() {
        return name.equals("all");
    }

    /** The analyses NAME stands for: one, or every one for {@code all}; an unknown name suggests the closest. */
    private List<Analysis> chosen(AnalysisCatalog catalog) {
        if (isAll()) {
            return List.copyOf(catalog.all());
        }
        Analysis a = catalog.get(name);
        if (a == null) {
            throw new UsageException("unknown analysis '" + name + "'; did you mean '" + catalog.closest(name)
                    + "'? (iotpcap analyses lists them)");
        }
        return List.of(a);
    }

    /** The {@code --set} values, keys and values stripped of surrounding blanks. */
    private Map<String, String> given() {
        Map<String, String> given = new LinkedHashMap<>();
        sets.forEach((k, v) -> given.put(k.strip(), v.strip()));
        return given;
    }

    /**
     * Usage errors found before the capture is read: {@code --set} with {@code all}, an unknown key, a scalar
     * value its type rejects (even when another parameter names a server the capture never resolves).
     */
    private static void check(List<Analysis> analyses, Map<String, String> given) {
        if (given.isEmpty()) {
            return;
        }
        if (analyses.size() != 1) {
            throw new UsageException("run all uses every analysis's defaults; --set needs a single analysis");
        }
        Analysis a = analyses.get(0);
        for (Map.Entry<String, String> e : given.entrySet()) {
            Parameter p = a.parameter(e.getKey());
            if (p == null) {
                throw new UsageException("analysis " + a.name() + " has no parameter '" + e.getKey() + "' (it has: "
                        + String.join(", ", a.parameters().stream().map(Parameter::name).toList()) + ")");
            }
            if (!p.isAddresses()) {
                try {
                    p.literal(e.getValue());
                } catch (IllegalArgumentException ex) {
                    throw new UsageException(ex.getMessage());
                }
            }
        }
    }

    private long rowLimit() {
        if (limit == null) {
            return Long.MAX_VALUE;
        }
        if (limit < 0) {
            throw new UsageException("--limit must be 0 or more, not " + limit);
        }
        return limit;
    }

    /** An analysis asked about a non-default port decodes that port (e.g. --set port=1886 for MQTT-SN). */
    private void addBindings(Analysis a, Map<String, String> given) {
        try {
            options.add(a.bindings(given));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The tables a capture's load must fill: those the analyses read, plus those that resolve names; null (all)
     * with a time window, which reads frames too.
     */
    private Set<TableDeclaration> tablesToLoad(List<Analysis> analyses) {
        if (from != null || to != null) {
            return null;
        }
        Set<TableDeclaration> tables = new LinkedHashSet<>(List.of(Names.T, DnsAnswers.T));
        for (Analysis a : analyses) {
            tables.addAll(a.tables());
        }
        return tables;
    }

    /** Shows times in {@code zone}, narrows every table to the time window, then locks the database down. */
    private void prepare(Source.Loaded loaded, ZoneId zone) throws SQLException {
        loaded.db().timeZone(zone.getId());
        if (from != null || to != null) {
            TimeWindow.apply(loaded.db().connection(), from == null ? Long.MIN_VALUE : from.nanos(zone),
                    to == null ? Long.MAX_VALUE : to.nanos(zone));
        }
        loaded.db().lockDown(false);
    }

    private void runOne(AnalysisRunner runner, Analysis a, Map<String, String> given, PrintWriter out, long rowLimit)
            throws SQLException, IOException {
        if (format == InfoCommand.OutputFormat.json) {
            JsonGenerator g = Json.open(out);
            runner.run(a, given, (r, evidence) -> writeJson(g, r, evidence, rowLimit));
            Json.finish(g, out);
        } else {
            runner.run(a, given, (r, evidence) -> printText(out, r, evidence, rowLimit));
        }
    }

    /** Every analysis with its defaults: a table of answers, or a JSON array of results with their evidence. */
    private void runAll(AnalysisRunner runner, List<Analysis> analyses, PrintWriter out, long rowLimit)
            throws SQLException, IOException {
        if (format == InfoCommand.OutputFormat.json) {
            JsonGenerator g = Json.open(out);
            g.writeStartArray();
            for (Analysis a : analyses) {
                try {
                    runner.run(a, Map.of(), (r, evidence) -> writeJson(g, r, evidence, rowLimit));
                } catch (AnalysisRunner.UnresolvedNameException e) {
                    g.writeStartObject();
                    g.writeStringField("analysis", a.name());
                    g.writeStringField("error", e.getMessage());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            Json.finish(g, out);
            return;
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Analysis a : analyses) {
            try {
                AnalysisResult r = runner.run(a, Map.of());
                rows.add(List.of(a.name(), String.valueOf(r.answer()), parameterText(r)));
            } catch (AnalysisRunner.UnresolvedNameException e) {
                rows.add(List.of(a.name(), "n/a", e.getMessage()));
            }
        }
        Tables.table(out, List.of("analysis", "answer", "parameters"), rows, Integer.MAX_VALUE);
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
    private static void writeJson(JsonGenerator g, AnalysisResult r, ResultSet evidence, long rowLimit)
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

    private static void printText(PrintWriter out, AnalysisResult r, ResultSet evidence, long rowLimit)
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

    /** {@code --from}/{@code --to} text as {@link TimeWindow.Point#parse} reads it; its message is the error. */
    static final class TimeConverter implements CommandLine.ITypeConverter<TimeWindow.Point> {
        @Override
        public TimeWindow.Point convert(String value) {
            try {
                return TimeWindow.Point.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
