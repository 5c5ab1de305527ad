package org.iotpcap.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisCatalog;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.analysis.AnalysisRunner;
import org.iotpcap.report.Report;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iotpcap report CAPTURE|DB -o report.html}: one self-contained HTML page ({@link Report}) with the
 * overview, traffic over time, MQTT, CoAP and DNS, and every analysis with its evidence and display filter.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write a self-contained HTML report (opens offline; nothing is loaded from outside the file).")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "capture file, - for stdin, or a database from "
            + "'iotpcap index'; one only (several are a usage error)")
    List<String> inputs;

    @Option(names = "-o", paramLabel = "report.html", required = true, description = "the HTML file to write")
    Path output;

    @Option(names = "--set", paramLabel = "NAME.KEY=VALUE|KEY=VALUE",
            description = "a parameter of the analyses: KEY=VALUE for every analysis that has KEY, "
                    + "NAME.KEY=VALUE for one analysis (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--analyses", paramLabel = "DIR", description = "also load the analyses (*.sql) of this directory")
    Path dir;

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        String input = InputOptions.single("report", inputs);
        AnalysisCatalog catalog = AnalysesCommand.catalog(dir);
        Map<String, String> given = ExtractCommand.sets(sets);
        for (String key : given.keySet()) {
            int dot = key.indexOf('.');
            String name = dot < 0 ? null : key.substring(0, dot);
            String param = dot < 0 ? key : key.substring(dot + 1);
            boolean known = catalog.all().stream().anyMatch(a -> (name == null || a.name().equals(name)) && a.parameter(param) != null);
            if (!known) {
                throw new UsageException("no analysis has a parameter '" + key + "' (iotpcap analyses lists them)");
            }
        }
        Map<String, Map<String, String>> perAnalysis = new java.util.LinkedHashMap<>();
        for (Analysis a : catalog.all()) {
            Map<String, String> mine = new java.util.LinkedHashMap<>();
            given.forEach((k, v) -> {
                if (a.parameter(k) != null) {
                    mine.put(k, v);
                } else if (k.startsWith(a.name() + ".") && a.parameter(k.substring(a.name().length() + 1)) != null) {
                    mine.put(k.substring(a.name().length() + 1), v);
                }
            });
            perAnalysis.put(a.name(), mine);
            if (!mine.isEmpty()) {
                // an analysis asked about a non-default port decodes that port, as run does
                options.add(a.bindings(mine));
            }
        }
        try (Source.Loaded loaded = Source.open(List.of(input), options, null)) {
            loaded.db().lockDown(false);
            AnalysisRunner runner = new AnalysisRunner(loaded.db().connection());
            List<Report.Analysed> results = new ArrayList<>();
            List<Report.Failed> failed = new ArrayList<>();
            for (Analysis a : catalog.all()) {
                try {
                    results.add(Report.Analysed.run(runner, a, perAnalysis.get(a.name())));
                } catch (AnalysisRunner.UnresolvedNameException e) {
                    failed.add(new Report.Failed(a.name(), a.question(), e.getMessage()));
                }
            }
            String title = "-".equals(input) ? "standard input" : Path.of(input).getFileName().toString();
            String html = Report.html(loaded.db().connection(), title,
                    loaded.summary() == null ? null : loaded.summary().interfaces, results, failed);
            Files.writeString(output, html, StandardCharsets.UTF_8);
            spec.commandLine().getOut().printf("%s: %d bytes, %d analyses, %.1f s%n", output,
                    html.getBytes(StandardCharsets.UTF_8).length, results.size() + failed.size(),
                    (System.nanoTime() - started) / 1e9);
            return Problems.exitCode(loaded.summary(), options.strict, spec.commandLine().getErr());
        }
    }
}
