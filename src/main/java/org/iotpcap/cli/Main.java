package org.iotpcap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.iotpcap.capture.NotACaptureException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The iotpcap command line. Errors are one line on stderr and a documented exit code; --debug adds the trace. */
@Command(name = "iotpcap", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Answers precise questions about IoT network captures (DNS, CoAP, MQTT, MQTT-SN).",
        subcommands = {InfoCommand.class, QueryCommand.class, IndexCommand.class, ExportCommand.class,
                AnalysesCommand.class, RunCommand.class, ReportCommand.class, ExtractCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (try: iotpcap info FILE)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("iotpcap: " + usageMessage(ex, cl));
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code;
            String msg;
            if (ex instanceof NoSuchFileException e) {
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
            err.println("iotpcap: " + msg);
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
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
        return ex.getMessage();
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
