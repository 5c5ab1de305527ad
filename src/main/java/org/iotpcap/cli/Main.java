package org.iotpcap.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.iotpcap.capture.NotACaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The iotpcap command line. Errors are one line on stderr and a documented exit code (docs/cli.md); --debug adds
 * the trace. Running out of memory or disk space, anywhere under a command, is such an error too.
 */
@Command(name = "iotpcap", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Answers precise questions about IoT network captures (DNS, CoAP, MQTT, MQTT-SN).")
public final class Main implements Runnable {
    /**
     * The commands, in the order help lists them. picocli builds a command's model from its annotations by
     * reflection, and its own classes (Java 5 class files) cannot go into the start-up cache, so {@link
     * #commandLine} builds only the command that runs: about 45 of the 145 ms that building them all took.
     */
    static final java.util.List<Class<?>> COMMANDS = java.util.List.of(InfoCommand.class, QueryCommand.class,
            IndexCommand.class, ExportCommand.class, AnalysesCommand.class, RunCommand.class, ReportCommand.class,
            ExtractCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: iotpcap info FILE)");
    }

    public static void main(String[] args) {
        // A thread of ours other than main (the table writer) that runs out of memory hands its failure to main;
        // should one die of it before it can, the process still ends with the one line and its code.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            String exhausted = exhausted(e);
            if (exhausted == null) {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                e.printStackTrace();
                return;
            }
            System.err.println("iotpcap: " + exhausted);
            System.err.flush();
            Runtime.getRuntime().halt(ExitCodes.RESOURCES);
        });
        FailureKeepingStream stdout = new FailureKeepingStream(new FileOutputStream(FileDescriptor.out));
        // No flush per line: a table of millions of rows would cost a write call each; execute flushes at the end.
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stdout, System.out.charset()), 1 << 16));
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err);
        out.flush();
        // PrintWriter swallows write errors; the stream under it kept the first one (e.g. stdout on a full disk).
        String exhausted = stdout.failure == null ? null : exhausted(stdout.failure);
        if (exhausted != null) {
            err.println("iotpcap: standard output: " + exhausted);
            code = ExitCodes.RESOURCES;
        }
        System.exit(code);
    }

    /** Standard output that remembers the first write failure, which {@link PrintWriter} only flags. */
    static final class FailureKeepingStream extends FilterOutputStream {
        IOException failure;

        FailureKeepingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                keep(e);
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                keep(e);
                throw e;
            }
        }

        private void keep(IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(args), args, out, err);
    }

    /**
     * The command line for {@code args}: when the first argument names a command, with that command alone (what
     * it parses, prints and does is the same); otherwise (no command, {@code help}, {@code --help}, a misspelt
     * name) with every command, so that usage, help and suggestions list them all.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : COMMANDS) {
            // help prints other commands' usage, so it comes with all of them
            if (args.length > 0 && c != CommandLine.HelpCommand.class
                    && c.getAnnotation(Command.class).name().equals(args[0])) {
                return cl.addSubcommand(c);
            }
        }
        for (Class<?> c : COMMANDS) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /**
     * Runs a command line of iotpcap's (this one, or iotpcap-spark's built around {@link RunCommand}) with the
     * one-line errors and the exit codes of docs/cli.md, each line prefixed with the command's name.
     */
    public static int execute(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String self = cl.getCommandName() + ": ";
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(self + usageMessage(ex, cl));
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code;
            String msg;
            String exhausted = exhausted(ex);
            if (exhausted != null) {
                code = ExitCodes.RESOURCES;
                msg = exhausted;
            } else if (ex instanceof NoSuchFileException e) {
                code = ExitCodes.INPUT;
                msg = e.getFile() + ": no such file";
            } else if (ex instanceof AccessDeniedException e) {
                code = ExitCodes.INPUT;
                msg = e.getFile() + ": permission denied";
            } else if (ex instanceof NotACaptureException e) {
                code = ExitCodes.INPUT;
                msg = e.getMessage();
            } else if (ex instanceof IOException e) {
                code = ExitCodes.INPUT;
                msg = "cannot read input: " + e.getMessage();
            } else if (ex instanceof UsageException e) {
                code = ExitCodes.USAGE;
                msg = e.getMessage();
            } else if (ex instanceof SqlUserException e) {
                code = ExitCodes.SQL;
                msg = e.getMessage();
            } else if (ex instanceof org.iotpcap.analysis.AnalysisRunner.UnresolvedNameException e) {
                code = ExitCodes.UNRESOLVED_NAME;
                msg = e.getMessage();
            } else if (ex instanceof IllegalArgumentException e) {
                code = ExitCodes.USAGE;
                msg = e.getMessage();
            } else if (ex instanceof java.sql.SQLException e) {
                code = ExitCodes.INPUT;
                msg = "database error: " + e.getMessage().strip().replaceAll("\\s*\\n\\s*", " | ");
            } else {
                code = ExitCodes.INTERNAL;
                msg = "internal error (a bug; rerun with --debug and report it): " + ex;
            }
            err.println(self + msg);
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (OutOfMemoryError e) {
            // An Error is not picocli's to handle: the command's objects are unreachable by now, so this line
            // has the memory it needs.
            err.println(self + exhausted(e));
            if (debug) {
                e.printStackTrace(err);
            }
            code = ExitCodes.RESOURCES;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The error line when {@code t} (or one of its causes) is a lack of memory or disk space: the Java heap
     * ({@link OutOfMemoryError}), DuckDB's memory ("Out of Memory Error") or a full disk (ENOSPC, "No space
     * left on device", from Java or from DuckDB); null for any other failure.
     */
    static String exhausted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof OutOfMemoryError) {
                return "out of memory (" + m + ", Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20)
                        + " MiB): try JAVA_OPTS=-Xmx8g, a time window (--from/--to) or a smaller capture";
            }
            if (m.contains("Out of Memory Error")) {
                return "out of memory (DuckDB: " + firstLine(m) + "): try a machine with more memory or a smaller capture";
            }
            if (m.contains("No space left on device")) {
                return "disk full (" + firstLine(m) + "): free some space or write elsewhere";
            }
        }
        return null;
    }

    private static String firstLine(String m) {
        String s = m.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }

    /** The error line for a bad command line: an unknown command names the closest one. */
    static String usageMessage(CommandLine.ParameterException ex, CommandLine root) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && u.getCommandLine() == root
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            String given = u.getUnmatched().get(0);
            String best = org.iotpcap.analysis.AnalysisCatalog.closest(given.toLowerCase(java.util.Locale.ROOT),
                    root.getSubcommands().keySet());
            return "unknown command '" + given + "'; did you mean '" + best + "'? (commands: "
                    + String.join(", ", root.getSubcommands().keySet()) + ")";
        }
        // picocli 4.7 says "option option '--set'" in its KEY=VALUE message
        return ex.getMessage().replace("option option '", "option '");
    }

    /** The version from the jar manifest, or "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"iotpcap " + (v == null ? "dev" : v)};
        }
    }
}
