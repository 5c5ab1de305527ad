package org.iotpcap.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisCatalog;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.analysis.AnalysisRunner;
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

    @Parameters(index = "1", paramLabel = "CAPTURE", description = "capture file, - for stdin, or a database from 'iotpcap index'")
    String input;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a parameter value (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    InfoCommand.OutputFormat format;

    @Option(names = "--analyses", paramLabel = "DIR", description = "also load the analyses (*.sql) of this directory")
    Path dir;

    @Option(names = "--from", paramLabel = "TIME", description = "only what happened at or after TIME (ISO 8601, "
            + "e.g. 2024-05-03T15:59:00+02:00 or 2024-05-03T15:59[Europe/Rome]; without an offset, in --tz)")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "only what happened before TIME (ISO 8601, as --from)")
    String to;

    @Mixin
    TimeZoneOption timeZone = new TimeZoneOption();

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AnalysisCatalog catalog = AnalysesCommand.catalog(dir);
        boolean all = name.equals("all");
        Analysis single = all ? null : catalog.get(name);
        if (!all && single == null) {
            throw new UsageException("unknown analysis '" + name + "'; did you mean '" + catalog.closest(name)
                    + "'? (iotpcap analyses lists them)");
        }
        Map<String, String> given = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("bad --set '" + s + "': expected KEY=VALUE");
            }
            given.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
        }
        if (all && !given.isEmpty()) {
            throw new UsageException("run all uses every analysis's defaults; --set needs a single analysis");
        }
        if (single != null) {
            for (String key : given.keySet()) {
                if (single.parameter(key) == null) {
                    throw new UsageException("analysis " + single.name() + " has no parameter '" + key + "' (it has: "
                            + String.join(", ", single.parameters().stream().map(p -> p.name()).toList()) + ")");
                }
                // Scalar values are checked before the capture is read: a bad value is a usage error even when
                // another parameter names a server the capture never resolves.
                if (!single.parameter(key).isAddresses()) {
                    try {
                        single.parameter(key).literal(given.get(key));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                }
            }
        }
        java.time.ZoneId zone = timeZone.zone();
        long fromNs = from == null ? Long.MIN_VALUE : parseTime(from, zone);
        long toNs = to == null ? Long.MAX_VALUE : parseTime(to, zone);
        PrintWriter out = spec.commandLine().getOut();
        if (single != null) {
            // an analysis asked about a non-default port decodes that port (e.g. --set port=1886 for MQTT-SN)
            for (String b : single.bindings(given)) {
                if (!options.decode.contains(b)) {
                    options.decode.add(b);
                }
            }
        }
        // Load only the tables the analyses read (plus those that resolve names and derive columns); a time
        // window reads frames too.
        java.util.Set<org.iotpcap.table.TableDeclaration> tables = null;
        if (from == null && to == null) {
            tables = new java.util.LinkedHashSet<>(List.of(org.iotpcap.semantic.tables.Names.T,
                    org.iotpcap.semantic.tables.DnsAnswers.T));
            for (Analysis a : all ? catalog.all() : List.of(single)) {
                tables.addAll(a.tables());
            }
        }
        try (Source.Loaded loaded = Source.open(input, options, tables)) {
            loaded.db().timeZone(zone.getId());
            if (from != null || to != null) {
                org.iotpcap.analysis.TimeWindow.apply(loaded.db().connection(), fromNs, toNs);
            }
            loaded.db().lockDown(false);
            AnalysisRunner runner = new AnalysisRunner(loaded.db().connection());
            if (!all) {
                AnalysisResult r = runner.run(single, given);
                if (format == InfoCommand.OutputFormat.json) {
                    out.println(Json.write(json(r)));
                } else {
                    printText(out, r);
                }
            } else {
                List<Object> results = new ArrayList<>();
                List<List<Object>> rows = new ArrayList<>();
                for (Analysis a : catalog.all()) {
                    Object answer;
                    String params;
                    try {
                        AnalysisResult r = runner.run(a, Map.of());
                        answer = r.answer();
                        params = parameterText(r);
                        results.add(json(r));
                    } catch (AnalysisRunner.UnresolvedNameException e) {
                        answer = "n/a";
                        params = e.getMessage();
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("analysis", a.name());
                        m.put("error", e.getMessage());
                        results.add(m);
                    }
                    rows.add(List.of(a.name(), String.valueOf(answer), params));
                }
                if (format == InfoCommand.OutputFormat.json) {
                    out.println(Json.write(results));
                } else {
                    Tables.table(out, List.of("analysis", "answer", "parameters"), rows, Integer.MAX_VALUE);
                }
            }
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }

    private static long parseTime(String text, java.time.ZoneId zone) {
        try {
            return org.iotpcap.analysis.TimeWindow.parseNanos(text, zone);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

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

    static Map<String, Object> json(AnalysisResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("analysis", r.analysis().name());
        Map<String, Object> ps = new LinkedHashMap<>();
        for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
            if (r.analysis().parameter(p.name()).isAddresses()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("value", p.value());
                List<Object> addrs = new ArrayList<>();
                for (AnalysisResult.ResolvedAddress a : p.addresses()) {
                    Map<String, Object> am = new LinkedHashMap<>();
                    am.put("address", a.address());
                    am.put("dns_frame", a.frame());
                    am.put("via", a.via());
                    addrs.add(am);
                }
                pm.put("addresses", addrs);
                ps.put(p.name(), pm);
            } else {
                ps.put(p.name(), p.value());
            }
        }
        m.put("parameters", ps);
        m.put("answer", r.answer());
        m.put("display_filter", r.displayFilter());
        m.put("evidence", Tables.objects(r.columns(), r.evidence()));
        return m;
    }

    private static void printText(PrintWriter out, AnalysisResult r) {
        out.println("analysis: " + r.analysis().name());
        if (!r.analysis().question().isEmpty()) {
            out.println("question: " + r.analysis().question());
        }
        out.println("parameters:");
        for (AnalysisResult.ResolvedParameter p : r.parameters().values()) {
            String extra = "";
            if (r.analysis().parameter(p.name()).isAddresses()) {
                if (p.value().equalsIgnoreCase("local")) {
                    extra = "  (loopback: 127.0.0.0/8, ::1)";
                } else if (p.value().equalsIgnoreCase("any")) {
                    extra = "  (every address)";
                }
            }
            out.println("  " + p.name() + " = " + p.value() + extra);
            for (AnalysisResult.ResolvedAddress a : p.addresses()) {
                out.println("    " + a.address() + (a.frame() != null ? "  (DNS answer in frame " + a.frame()
                        + (a.via() != null && !a.via().isEmpty() ? ", via " + a.via() : "") + ")" : ""));
            }
        }
        out.println("evidence:");
        Tables.table(out, r.columns(), r.evidence());
        out.println("answer: " + r.answer());
        out.println("display filter: " + (r.displayFilter() == null ? "none (the evidence names no frames)" : r.displayFilter()));
    }
}
