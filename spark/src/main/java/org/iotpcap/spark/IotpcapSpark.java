package org.iotpcap.spark;

import java.io.PrintWriter;
import org.iotpcap.cli.Main;
import org.iotpcap.cli.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code iotpcap-spark run NAME|all CAPTURES... [--master URL]}: iotpcap's {@code run} (its options, checks,
 * output and exit codes: {@link RunCommand}) with the analyses on Spark ({@link SparkEngine}).
 */
@Command(name = "iotpcap-spark", mixinStandardHelpOptions = true,
        description = "Run iotpcap's named analyses on Spark (docs/spark.md).")
public final class IotpcapSpark implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: run");
    }

    /** The command line, run on {@code engine}. */
    static CommandLine commandLine(SparkEngine engine) {
        CommandLine run = new CommandLine(new RunCommand(engine));
        run.addMixin("spark", engine);
        return new CommandLine(new IotpcapSpark()).addSubcommand("run", run);
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = Main.execute(commandLine(new SparkEngine()), args, out, err);
        out.flush();
        System.exit(code);
    }
}
