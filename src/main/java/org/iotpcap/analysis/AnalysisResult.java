package org.iotpcap.analysis;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What running an analysis gave: the parameters as resolved (a DNS name with the addresses the capture's
 * answers gave it, and the frames of those answers), the answer (the number of evidence rows, or the
 * analysis's answer expression over them) and how many evidence rows there are. The rows themselves are read
 * through {@link AnalysisRunner.EvidenceReader} while the runner holds them.
 *
 * @param evidenceFrames the frames the evidence names: every value of a column called {@code frame} or ending in
 *     {@code _frame} (the frame of a row, its end, its response, its first subscribe, ...), sorted and distinct;
 *     empty when the evidence is empty; null when the evidence has no frame column (an aggregate such as topic
 *     levels)
 */
public record AnalysisResult(Analysis analysis, Map<String, ResolvedParameter> parameters, Object answer,
                             long evidenceTotal, SortedSet<Long> evidenceFrames) {

    /**
     * A parameter's value; for addresses also what it resolved to, and for {@code local} and {@code any} what
     * the word means ({@code meaning}, e.g. "loopback: 127.0.0.0/8, ::1"; null otherwise).
     */
    public record ResolvedParameter(String name, String value, String meaning, List<ResolvedAddress> addresses) {}

    /** Whether an evidence column names frames (see {@link #evidenceFrames()}): {@code frame} or {@code *_frame}. */
    public static boolean isFrameColumn(String column) {
        return column.equals("frame") || column.endsWith("_frame");
    }

    /**
     * The Wireshark display filter that selects exactly the evidence frames: {@code frame.number in {...}}
     * (Wireshark's set membership, "Display Filter Reference: Membership Operator"), separated by commas, with runs of consecutive
     * frames written as ranges {@code a..b}; {@code frame.number == 0} (no frame) when the evidence is empty; null
     * when the evidence names no frames. {@code run}, {@code report} and {@code extract} all use this one.
     */
    public String displayFilter() {
        return evidenceFrames == null ? null : displayFilter(evidenceFrames);
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


    /** An address a parameter resolved to, and the first frame whose DNS answer gave it (null when typed). */
    public record ResolvedAddress(String address, Long frame, String via) {}
}
