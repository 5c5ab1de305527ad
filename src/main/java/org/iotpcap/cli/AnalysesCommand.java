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
import org.iotpcap.analysis.Parameter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code iotpcap analyses}: the named analyses with their descriptions, parameters and defaults. */
@Command(name = "analyses", mixinStandardHelpOptions = true, description = "List the named analyses, their parameters and defaults.")
final class AnalysesCommand implements Callable<Integer> {
    @Option(names = "--analyses", paramLabel = "DIR", description = "also list the analyses (*.sql) of this directory")
    Path dir;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    InfoCommand.OutputFormat format;

    @Option(names = "--sql", description = "also print each analysis's SQL")
    boolean sql;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AnalysisCatalog catalog = catalog(dir);
        PrintWriter out = spec.commandLine().getOut();
        if (format == InfoCommand.OutputFormat.json) {
            List<Object> list = new ArrayList<>();
            for (Analysis a : catalog.all()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", a.name());
                m.put("question", a.question());
                m.put("description", a.description());
                List<Object> ps = new ArrayList<>();
                for (Parameter p : a.parameters()) {
                    ps.add(new LinkedHashMap<>(Map.of("name", p.name(), "type", p.type(), "default", p.defaultValue(),
                            "description", p.description())));
                }
                m.put("parameters", ps);
                m.put("source", a.source());
                if (sql) {
                    m.put("sql", a.sql());
                }
                list.add(m);
            }
            out.println(Json.write(list));
            return ExitCodes.OK;
        }
        for (Analysis a : catalog.all()) {
            out.println(a.name());
            if (!a.question().isEmpty()) {
                out.println("  question: " + a.question());
            }
            out.println("  " + a.description());
            for (Parameter p : a.parameters()) {
                out.printf("  --set %s=%s   (%s) %s%n", p.name(), p.defaultValue(), p.type(), p.description());
            }
            if (sql) {
                for (String line : a.sql().split("\n")) {
                    out.println("    " + line);
                }
            }
            out.println();
        }
        return ExitCodes.OK;
    }

    static AnalysisCatalog catalog(Path dir) throws java.io.IOException {
        AnalysisCatalog c = AnalysisCatalog.builtIn();
        return dir == null ? c : c.withDirectory(dir);
    }
}
