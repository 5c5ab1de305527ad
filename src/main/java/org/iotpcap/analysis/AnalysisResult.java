package org.iotpcap.analysis;

import java.util.List;
import java.util.Map;

/**
 * What running an analysis gave: the parameters as resolved (a DNS name with the addresses the capture's
 * answers gave it, and the frames of those answers), the evidence rows, and the answer (their number, or the analysis's answer expression).
 */
public record AnalysisResult(Analysis analysis, Map<String, ResolvedParameter> parameters, List<String> columns,
                             List<List<Object>> evidence, Object answer) {

    /** A parameter's value; for addresses also what it resolved to. */
    public record ResolvedParameter(String name, String value, List<ResolvedAddress> addresses) {}

    /** An address a parameter resolved to, and the first frame whose DNS answer gave it (null when typed). */
    public record ResolvedAddress(String address, Long frame, String via) {}
}
