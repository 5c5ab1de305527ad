package org.iotpcap.cli;

import java.io.PrintWriter;
import org.iotpcap.engine.Summary;

/** Warnings about the capture on stderr, and the exit code {@code --strict} asks for. */
final class Problems {
    private Problems() {}

    static int exitCode(Summary s, boolean strict, PrintWriter err) {
        if (s == null) {
            return ExitCodes.OK;
        }
        for (String w : s.warnings) {
            err.println("iotpcap: warning: " + w);
        }
        err.flush();
        return strict && (!s.warnings.isEmpty() || s.malformedTotal() > 0) ? ExitCodes.STRICT_PROBLEMS : ExitCodes.OK;
    }
}
