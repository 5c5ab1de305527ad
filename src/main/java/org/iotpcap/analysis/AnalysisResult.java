package org.iotpcap.analysis;

import java.util.List;
import java.util.Map;

/**
 * What running an analysis gave: the parameters as resolved (a DNS name with the addresses the capture's
 * answers gave it, and the frames of those answers), the answer (the number of evidence rows, or the
 * analysis's answer expression over them) and how many evidence rows there are. The rows themselves are read
 * through {@link AnalysisRunner.EvidenceReader} while the runner holds them.
 */
public record AnalysisResult(Analysis analysis, Map<String, ResolvedParameter> parameters, Object answer,
                             long evidenceTotal) {

    /**
     * A parameter's value; for addresses also what it resolved to, and for {@code local} and {@code any} what
     * the word means ({@code meaning}, e.g. "loopback: 127.0.0.0/8, ::1"; null otherwise).
     */
    public record ResolvedParameter(String name, String value, String meaning, List<ResolvedAddress> addresses) {}

    /** An address a parameter resolved to, and the first frame whose DNS answer gave it (null when typed). */
    public record ResolvedAddress(String address, Long frame, String via) {}
}
