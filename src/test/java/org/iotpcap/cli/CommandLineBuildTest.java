package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link Main#commandLine}: a command named first is built alone, and is the same command (its usage and its
 * options) as in the command line with every command; anything else gets every command, in help's order.
 */
class CommandLineBuildTest {
    private static final List<String> NAMES = List.of("info", "query", "index", "export", "analyses", "run",
            "report", "extract", "help");

    @Test
    void withoutACommandNamedFirstEveryCommandIsThereInHelpOrder() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "info"},
                new String[] {"inf", "x.pcap"}, new String[] {"--debug", "info"}, new String[] {"-V"})) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(NAMES);
        }
    }

    @Test
    void aCommandNamedFirstIsBuiltAloneAndIsTheSameCommand() {
        CommandLine all = Main.commandLine();
        for (String name : NAMES) {
            if (name.equals("help")) {
                continue;
            }
            CommandLine alone = Main.commandLine(name, "x.pcap");
            assertThat(alone.getSubcommands().keySet()).containsExactly(name);
            CommandLine one = alone.getSubcommands().get(name);
            CommandLine same = all.getSubcommands().get(name);
            assertThat(one.getUsageMessage(CommandLine.Help.Ansi.OFF))
                    .isEqualTo(same.getUsageMessage(CommandLine.Help.Ansi.OFF)).contains("Usage: iotpcap " + name);
            assertThat(one.getCommandSpec().options().stream().map(o -> o.longestName()).toList())
                    .isEqualTo(same.getCommandSpec().options().stream().map(o -> o.longestName()).toList());
        }
    }

    @Test
    void theLoneCommandRunsAsBefore() {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.execute(new String[] {"analyses"}, new java.io.PrintWriter(out), new java.io.PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("coap-unsuccessful-puts").contains("mqttsn-to-local-broker");
    }
}
