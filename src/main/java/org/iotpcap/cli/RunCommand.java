package org.iotpcap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
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
import org.iotpcap.table.Projection;
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
public final class RunCommand implements Callable<Integer> {
    /** The engine the analyses run on; null: the embedded DuckDB. */
    private final RunEngine engine;

    RunCommand() {
        this(null);
    }

    /** {@code run} on another engine (iotpcap-spark's). */
    public RunCommand(RunEngine engine) {
        this.engine = engine;
    }

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
        try (RunEngine.Session session = open(analyses, zone)) {
            PrintWriter out = spec.commandLine().getOut();
            if (isAll()) {
                runAll(session, analyses, out, rowLimit);
            } else {
                runOne(session, analyses.get(0), given, out, rowLimit);
            }
            return session.exitCode(options.strict, spec.commandLine().getErr());
        }
    }

    /** The captures loaded by the engine: the embedded DuckDB, or the one iotpcap-spark gives. */
    private RunEngine.Session open(List<Analysis> analyses, ZoneId zone) throws Exception {
        if (engine == null) {
            Source.Loaded loaded = Source.open(inputs, options, projectionToLoad(analyses));
            try {
                prepare(loaded, zone);
                return new DuckDb(loaded, new AnalysisRunner(loaded.db().connection()));
            } catch (SQLException | RuntimeException e) {
                loaded.close();
                throw e;
            }
        }
        return engine.open(new RunEngine.Request(inputs, options.continuous, List.copyOf(options.decode),
                !options.noHeuristics, options.keepSecrets, projectionToLoad(analyses).tables(), zone,
                from == null ? null : from.nanos(zone), to == null ? null : to.nanos(zone),
                List.copyOf(options.keyLogs), options.psks()));
    }

    /** The embedded DuckDB's session: the analyses run by {@link AnalysisRunner}. */
    private record DuckDb(Source.Loaded loaded, AnalysisRunner runner) implements RunEngine.Session {
        @Override
        public AnalysisResult run(Analysis a, Map<String, String> given, RunEngine.Evidence reader)
                throws SQLException, IOException {
            return runner.run(a, given, new AnalysisRunner.EvidenceReader() {
                @Override
                public void read(AnalysisResult r, java.sql.ResultSet evidence) throws SQLException, IOException {
                    reader.read(r, ResultRows.of(evidence));
                }

                @Override
                public boolean framesWanted() {
                    return reader.framesWanted();
                }
            });
        }

        @Override
        public int exitCode(boolean strict, PrintWriter err) {
            return Problems.exitCode(loaded.summary(), strict, err);
        }

        @Override
        public void close() throws SQLException {
            loaded.close();
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

    /** What a capture's load must fill for the analyses; everything with a time window, which reads frames too. */
    private Projection projectionToLoad(List<Analysis> analyses) {
        return from != null || to != null ? Projection.ALL : Analysis.projection(analyses);
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

    private void runOne(RunEngine.Session session, Analysis a, Map<String, String> given, PrintWriter out,
                        long rowLimit) throws Exception {
        session.run(a, given, (r, evidence) -> RunOutput.one(out, outputFormat(), r, evidence, rowLimit));
    }

    /** Every analysis with its defaults: a table of answers, or a JSON array of results with their evidence. */
    private void runAll(RunEngine.Session session, List<Analysis> analyses, PrintWriter out, long rowLimit)
            throws Exception {
        try (RunOutput.All all = new RunOutput.All(out, outputFormat(), rowLimit)) {
            for (Analysis a : analyses) {
                try {
                    session.run(a, Map.of(), all);
                } catch (AnalysisRunner.UnresolvedNameException e) {
                    all.unresolved(a, e.getMessage());
                }
            }
        }
    }

    private RunOutput.Format outputFormat() {
        return format == InfoCommand.OutputFormat.json ? RunOutput.Format.json : RunOutput.Format.text;
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
