package org.iotpcap.cli;

/** Exit codes of the iotpcap command (documented in docs/cli.md). */
public final class ExitCodes {
    private ExitCodes() {}

    public static final int OK = 0;
    /** --strict and the capture had problems (truncation, malformed records). */
    public static final int STRICT_PROBLEMS = 1;
    /** Bad command line: unknown command or option, bad value. */
    public static final int USAGE = 2;
    /** The input could not be read: missing, unreadable, or not a capture. */
    public static final int INPUT = 3;
    /** The SQL given to query failed (DuckDB's message says where). */
    public static final int SQL = 4;
    /** A server or broker was given by a DNS name that the capture never resolves. */
    public static final int UNRESOLVED_NAME = 5;
    /** Out of memory (Java heap or DuckDB's) or out of disk space (ENOSPC), anywhere under a command. */
    public static final int RESOURCES = 6;
    /** A bug of ours; --debug prints the stack trace. */
    public static final int INTERNAL = 70;
}
