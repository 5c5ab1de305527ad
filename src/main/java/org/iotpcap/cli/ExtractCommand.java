package org.iotpcap.cli;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisCatalog;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.analysis.AnalysisRunner;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.PcapngWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code iotpcap extract CAPTURE (--analysis NAME [--set ...] | --where SQL) -w OUT.pcapng}: the frames behind an
 * answer, with their original bytes, timestamps and interfaces, as pcapng, so that Wireshark opens exactly the
 * evidence. The frames are those of the analysis's display filter ({@link AnalysisResult#displayFilter()}), or
 * of {@code SELECT frame FROM frames WHERE SQL}; their bytes come from a second, streaming read of the capture.
 */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Write the evidence frames of an analysis, or the frames a SQL condition over the frames "
                + "table selects, as pcapng with their original bytes, timestamps and interfaces.")
final class ExtractCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CAPTURE", description = "capture file (read twice: not standard input); "
            + "one only (several are a usage error)")
    List<String> inputs;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Option(names = "--analysis", paramLabel = "NAME", description = "the evidence frames of this analysis")
        String analysis;

        @Option(names = "--where", paramLabel = "SQL", description = "a condition over the frames table, e.g. \"protocol = 'mqtt' AND src_port = 1883\"")
        String where;
    }

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a parameter of the analysis (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "-w", paramLabel = "OUT.pcapng", required = true, description = "the pcapng file to write")
    Path output;

    @Mixin
    InputOptions options = new InputOptions();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String input = InputOptions.single("extract", inputs);
        if ("-".equals(input) || Source.isDuckDb(Path.of(input))) {
            throw new UsageException("extract reads the capture's bytes twice: give a capture file, not standard input or a database");
        }
        Map<String, String> given = sets(sets);
        SortedSet<Long> frames;
        String comment;
        String filter;
        org.iotpcap.engine.Summary summary;
        if (selection.analysis != null) {
            AnalysisCatalog catalog = AnalysesCommand.catalog(null);
            Analysis a = catalog.get(selection.analysis);
            if (a == null) {
                throw new UsageException("unknown analysis '" + selection.analysis + "'; did you mean '"
                        + catalog.closest(selection.analysis) + "'? (iotpcap analyses lists them)");
            }
            for (String key : given.keySet()) {
                if (a.parameter(key) == null) {
                    throw new UsageException("analysis " + a.name() + " has no parameter '" + key + "'");
                }
            }
            options.add(a.bindings(given));
            try (Source.Loaded loaded = Source.open(List.of(input), options, Analysis.projection(List.of(a)))) {
                loaded.db().lockDown(false);
                AnalysisResult r = new AnalysisRunner(loaded.db().connection()).run(a, given);
                frames = r.evidenceFrames();
                if (frames == null) {
                    throw new UsageException("the evidence of " + a.name() + " names no frames (its rows are aggregates); nothing to extract");
                }
                filter = r.displayFilter();
                List<String> ps = new ArrayList<>();
                r.parameters().values().forEach(p -> ps.add(p.name() + "=" + p.value()));
                comment = "iotpcap extract: evidence of analysis " + a.name() + " (" + String.join(" ", ps)
                        + "), answer " + r.answer();
                summary = loaded.summary();
            }
        } else {
            if (!given.isEmpty()) {
                throw new UsageException("--set goes with --analysis");
            }
            frames = new TreeSet<>();
            try (Source.Loaded loaded = Source.open(List.of(input), options,
                    org.iotpcap.table.Projection.of(java.util.Set.of(org.iotpcap.semantic.tables.Frames.T)))) {
                loaded.db().lockDown(false);
                try (Statement st = loaded.db().connection().createStatement();
                     ResultSet rs = st.executeQuery("SELECT frame FROM frames WHERE " + selection.where)) {
                    while (rs.next()) {
                        frames.add(rs.getLong(1));
                    }
                } catch (java.sql.SQLException e) {
                    throw new SqlUserException(e);
                }
                summary = loaded.summary();
            }
            filter = AnalysisResult.displayFilter(frames);
            comment = "iotpcap extract: frames where " + selection.where;
        }
        long written = write(input, frames, output, shorten(comment));
        var out = spec.commandLine().getOut();
        out.println(output + ": " + written + " frames");
        out.println("display filter: " + filter);
        return Problems.exitCode(summary, options.strict, spec.commandLine().getErr());
    }

    /**
     * Streams {@code input} and writes the frames numbered in {@code frames} to {@code output}, each with a
     * comment naming its frame number in the capture; returns how many were written.
     */
    static long write(String input, SortedSet<Long> frames, Path output, String comment) throws java.io.IOException {
        long last = frames.isEmpty() ? 0 : frames.last();
        try (CaptureReader reader = Captures.open(input);
             OutputStream os = Files.newOutputStream(output);
             PcapngWriter w = new PcapngWriter(os, comment)) {
            CaptureRecord r = new CaptureRecord();
            while (w.framesWritten() < frames.size() && reader.next(r)) {
                if (frames.contains(r.frameNumber())) {
                    w.interfacesUpTo(reader, r.interfaceId());
                    w.frame(r, "iotpcap: frame " + r.frameNumber() + " of " + Path.of(input).getFileName());
                }
                if (r.frameNumber() >= last) {
                    break;
                }
            }
            if (frames.isEmpty()) {
                reader.next(r);
                w.interfacesUpTo(reader, reader.interfaces().size() - 1);
            }
            return w.framesWritten();
        }
    }

    /** Option values hold at most 65535 bytes (pcapng section 3.5); a comment is cut well below that. */
    private static String shorten(String comment) {
        return comment.length() <= 4000 ? comment : comment.substring(0, 4000) + "...";
    }

    static Map<String, String> sets(List<String> sets) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("bad --set '" + s + "': expected KEY=VALUE");
            }
            given.put(s.substring(0, eq).strip(), s.substring(eq + 1).strip());
        }
        return given;
    }
}
