package org.iotpcap.analysis;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What running an analysis gave: the parameters as resolved (a DNS name with the addresses the capture's
 * answers gave it, and the frames of those answers), the evidence rows, and the answer (their number, or the analysis's answer expression).
 */
public record AnalysisResult(Analysis analysis, Map<String, ResolvedParameter> parameters, List<String> columns,
                             List<List<Object>> evidence, Object answer) {

    /**
     * The frames the evidence names: every value of a column called {@code frame} or ending in {@code _frame}
     * (the frame of a row, its end, its response, its first subscribe, ...), sorted and distinct. Empty when the
     * evidence is empty; null when the evidence has no frame column (an aggregate such as topic levels).
     */
    public java.util.SortedSet<Long> evidenceFrames() {
        List<Integer> frameColumns = new java.util.ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            if (c.equals("frame") || c.endsWith("_frame")) {
                frameColumns.add(i);
            }
        }
        if (frameColumns.isEmpty()) {
            return null;
        }
        TreeSet<Long> frames = new TreeSet<>();
        for (List<Object> row : evidence) {
            for (int i : frameColumns) {
                if (row.get(i) instanceof Number n) {
                    frames.add(n.longValue());
                }
            }
        }
        return frames;
    }

    /**
     * The Wireshark display filter that selects exactly the evidence frames: {@code frame.number in {...}}
     * (Wireshark's set membership, "Display Filter Reference: Membership Operator"), separated by commas, with runs of consecutive
     * frames written as ranges {@code a..b}; {@code frame.number == 0} (no frame) when the evidence is empty; null
     * when the evidence names no frames. {@code run}, {@code report} and {@code extract} all use this one.
     */
    public String displayFilter() {
        java.util.SortedSet<Long> frames = evidenceFrames();
        return frames == null ? null : displayFilter(frames);
    }

    /** The display filter selecting exactly {@code frames} (see {@link #displayFilter()}). */
    public static String displayFilter(java.util.SortedSet<Long> frames) {
        if (frames.isEmpty()) {
            return "frame.number == 0";
        }
        StringBuilder sb = new StringBuilder("frame.number in {");
        Long start = null;
        long prev = 0;
        for (long f : frames) {
            if (start != null && f == prev + 1) {
                prev = f;
                continue;
            }
            if (start != null) {
                appendRun(sb, start, prev);
            }
            start = f;
            prev = f;
        }
        appendRun(sb, start, prev);
        return sb.append('}').toString();
    }

    private static void appendRun(StringBuilder sb, long start, long end) {
        if (sb.charAt(sb.length() - 1) != '{') {
            sb.append(", ");
        }
        sb.append(start);
        if (end > start) {
            sb.append("..").append(end);
        }
    }

    /** A parameter's value; for addresses also what it resolved to. */
    public record ResolvedParameter(String name, String value, List<ResolvedAddress> addresses) {}

    /** An address a parameter resolved to, and the first frame whose DNS answer gave it (null when typed). */
    public record ResolvedAddress(String address, Long frame, String via) {}
}
