package org.iotpcap.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            writeJson(out, catalog);
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

    /** An array of {name, question, description, parameters [{name, type, default, description}], source[, sql]}. */
    private void writeJson(PrintWriter out, AnalysisCatalog catalog) throws IOException {
        JsonGenerator g = Json.open(out);
        g.writeStartArray();
        for (Analysis a : catalog.all()) {
            g.writeStartObject();
            g.writeStringField("name", a.name());
            g.writeStringField("question", a.question());
            g.writeStringField("description", a.description());
            g.writeArrayFieldStart("parameters");
            for (Parameter p : a.parameters()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeStringField("type", p.type());
                g.writeStringField("default", p.defaultValue());
                g.writeStringField("description", p.description());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("source", a.source());
            if (sql) {
                g.writeStringField("sql", a.sql());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        Json.finish(g, out);
    }

    static AnalysisCatalog catalog(Path dir) throws java.io.IOException {
        AnalysisCatalog c = AnalysisCatalog.builtIn();
        return dir == null ? c : c.withDirectory(dir);
    }
}
