package org.iotpcap.cli;

import java.io.PrintWriter;
import org.iotpcap.engine.Summary;

/**
 * Warnings about the capture on stderr, and the exit code {@code --strict} asks for: 1 when a capture file has a
 * warning (cut short, an unreadable block) or any layer counted a malformed record or a limit reached.
 */
public final class Problems {
    private Problems() {}

    static int exitCode(Summary s, boolean strict, PrintWriter err) {
        return exitCode(s, strict, err, "iotpcap");
    }

    /** As {@code iotpcap} does, the warnings prefixed with {@code program}'s name (iotpcap-spark's). */
    public static int exitCode(Summary s, boolean strict, PrintWriter err, String program) {
        if (s == null) {
            return ExitCodes.OK;
        }
        for (String w : s.warnings) {
            err.println(program + ": warning: " + w);
        }
        err.flush();
        return strict && (!s.warnings.isEmpty() || s.malformedTotal() > 0) ? ExitCodes.STRICT_PROBLEMS : ExitCodes.OK;
    }
}
