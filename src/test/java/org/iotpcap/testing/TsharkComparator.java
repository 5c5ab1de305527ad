package org.iotpcap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import org.iotpcap.testing.TestCaptures.TestCapture;

/**
 * The scaffold every per-protocol tshark conformance test shares: the test decodes the whole capture with
 * iotpcap and renders each frame's messages as tshark would print {@link TsharkQuery#compared()} (one map per
 * frame, several messages of a frame joined by ',' as {@code -E occurrence=a} does); this takes tshark's rows
 * ({@link TsharkRecords}: live, or checked in), keys them by {@code frame.number}, compares field by field, prints
 * a summary line and the first differences, and fails on any difference.
 *
 * <p>A frame only one side decodes is a difference. Frames the test lists as known (each explained in a
 * {@code docs/tshark-differences-*.md}) are left out, and must still differ: a known difference that now
 * matches is reported, so the list cannot outlive its reason.
 */
public final class TsharkComparator {
    private TsharkComparator() {}

    private static final int DIFFERENCES_PRINTED = 40;

    /**
     * What one comparison found.
     *
     * @param tsharkFrames frames tshark showed for the query
     * @param framesCompared frames both sides decode, not listed as known
     * @param fieldsCompared non-empty field values found equal
     * @param differences one line per difference, "frame N ..."
     */
    public record Result(int tsharkFrames, int framesCompared, int fieldsCompared, List<String> differences) {}

    /** {@link #check(TestCapture, TsharkQuery, UnaryOperator, Map, Set, LongFunction)} with tshark's values as printed. */
    public static Result check(TestCapture tc, TsharkQuery query, Map<Long, Map<String, String>> ours, Set<Long> known,
                               LongFunction<String> note) {
        return check(tc, query, UnaryOperator.identity(), ours, known, note);
    }

    /**
     * Compares {@code ours} (frame to field values) with tshark's rows for {@code query} on {@code tc}, each tshark
     * value passed through {@code tsharkValue} first; {@code note} adds context to a frame's differences (our
     * malformed reasons, say). Prints the summary, asserts that there is no difference and returns the counts.
     */
    public static Result check(TestCapture tc, TsharkQuery query, UnaryOperator<String> tsharkValue,
                               Map<Long, Map<String, String>> ours, Set<Long> known, LongFunction<String> note) {
        TsharkRecords.Rows rows = TsharkRecords.rows(tc, query);
        Map<Long, Map<String, String>> theirs = byFrame(rows.rows());
        theirs.values().forEach(row -> row.replaceAll((field, value) -> tsharkValue.apply(value)));
        Result r = compare(query, theirs, ours, known, note);
        report(query.name(), tc.toString(), rows.source(), ours.size(), r);
        assertThat(r.differences()).as("differences from tshark in " + tc).isEmpty();
        return r;
    }

    /** tshark's rows keyed by {@code frame.number} (a frame appears once in {@code -T fields} output). */
    public static Map<Long, Map<String, String>> byFrame(List<Map<String, String>> rows) {
        Map<Long, Map<String, String>> out = new TreeMap<>();
        for (Map<String, String> row : rows) {
            Map<String, String> fields = new LinkedHashMap<>(row);
            long frame = Long.parseLong(fields.remove(TsharkQuery.FRAME));
            if (out.put(frame, fields) != null) {
                throw new AssertionError("tshark printed frame " + frame + " twice");
            }
        }
        return out;
    }

    /** The comparison alone: frame by frame over the union of both sides, field by field over {@code query.compared()}. */
    public static Result compare(TsharkQuery query, Map<Long, Map<String, String>> theirs,
                                 Map<Long, Map<String, String>> ours, Set<Long> known, LongFunction<String> note) {
        String protocol = query.name();
        Set<Long> frames = new TreeSet<>(theirs.keySet());
        frames.addAll(ours.keySet());
        List<String> differences = new ArrayList<>();
        int framesCompared = 0;
        int fieldsCompared = 0;
        for (long frame : frames) {
            Map<String, String> t = theirs.get(frame);
            Map<String, String> o = ours.get(frame);
            String context = note.apply(frame);
            String suffix = context == null || context.isEmpty() ? "" : " " + context;
            if (known.contains(frame)) {
                if (t != null && o != null && differing(query, t, o).isEmpty()) {
                    differences.add("frame " + frame + " is listed as a known " + protocol
                            + " difference but now matches tshark");
                }
                continue;
            }
            if (t == null || o == null) {
                differences.add("frame " + frame + ": only " + (t == null ? "iotpcap" : "tshark") + " decodes "
                        + protocol + suffix);
                continue;
            }
            framesCompared++;
            List<String> fields = differing(query, t, o);
            for (String f : fields) {
                differences.add("frame " + frame + " " + f + ": tshark '" + abbreviate(t.get(f)) + "', iotpcap '"
                        + abbreviate(o.getOrDefault(f, "")) + "'" + suffix);
            }
            for (String f : query.compared()) {
                if (!fields.contains(f) && !o.getOrDefault(f, "").isEmpty()) {
                    fieldsCompared++;
                }
            }
        }
        return new Result(theirs.size(), framesCompared, fieldsCompared, differences);
    }

    /** One summary line, then the first differences. */
    public static void report(String protocol, String capture, String source, int ourFrames, Result r) {
        System.out.println("[" + protocol + "-conformance] " + capture + ": " + r.tsharkFrames() + " tshark frames ("
                + source + "), " + ourFrames + " iotpcap frames, " + r.framesCompared() + " compared, "
                + r.fieldsCompared() + " values equal, " + r.differences().size() + " differences");
        r.differences().stream().limit(DIFFERENCES_PRINTED).forEach(d -> System.out.println("  " + d));
    }

    private static List<String> differing(TsharkQuery query, Map<String, String> t, Map<String, String> o) {
        List<String> out = new ArrayList<>();
        for (String f : query.compared()) {
            if (!t.get(f).equals(o.getOrDefault(f, ""))) {
                out.add(f);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "...(" + s.length() + ")" : s;
    }
}
