package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Progress}: drawn on a terminal (a real pseudo-terminal made by util-linux {@code script}), nothing on a
 * pipe, and the settings that turn it off.
 */
class ProgressTest {
    @TempDir
    Path tmp;

    /** A command that reports 280 MB over 2.5 s, 4,000 frames per 10 ms, then prints "done" on stdout. */
    public static final class Demo {
        public static void main(String[] args) throws InterruptedException {
            long total = 280_000_000L;
            try (Progress p = Progress.start("info", total)) {
                for (int i = 1; i <= 250; i++) {
                    Thread.sleep(10);
                    p.update(total * i / 250, i * 4_000L);
                }
            }
            System.out.println("done");
        }
    }

    private static List<String> demoCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Demo.class.getName());
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean scriptAvailable() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "script")));
    }

    @Test
    void onATerminal_drawsBytesOfTotalSpeedFramesPerSecondAndTimeLeft_thenErasesTheLine() throws Exception {
        assumeTrue(scriptAvailable(), "util-linux script (makes the pseudo-terminal) is not installed");
        Path stdout = tmp.resolve("stdout.txt");
        // stdout goes to a file, as for `iotpcap info big.pcapng > out`: only stderr is the terminal.
        String inner = String.join(" ", demoCommand().stream().map(ProgressTest::shellQuote).toList())
                + " > " + shellQuote(stdout.toString());
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", inner, "/dev/null");
        pb.environment().put("COLUMNS", "100"); // script's terminal has no size of its own when run headless
        pb.environment().remove("IOTPCAP_PROGRESS");
        pb.environment().put("TERM", "xterm");
        pb.redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(screen).isZero();

        assertThat(Files.readString(stdout)).isEqualTo("done\n");
        List<String> drawn = new ArrayList<>(Arrays.asList(screen.split("\r")));
        drawn.removeIf(String::isBlank);
        assertThat(drawn).as(screen).isNotEmpty();
        for (String line : drawn) {
            assertThat(line).startsWith("info ").contains("%", "/267MiB", "MiB/s", " frames/s").hasSizeLessThan(100);
        }
        // Shown after a second, with the time left from the first line on.
        assertThat(drawn.getFirst()).containsPattern("\\(0:00:0[1-9] / 0:00:0[0-9]\\)");
        // The last thing written blanks the line and returns to its start, with no newline.
        assertThat(screen).endsWith(" ".repeat(99) + "\r");
    }

    @Test
    void onAPipe_printsNothing() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(demoCommand());
        pb.environment().remove("IOTPCAP_PROGRESS");
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("done\n");
        assertThat(err).isEmpty();
    }

    @Test
    void inThisTestJvm_stderrIsNotATerminal_soStartGivesTheNoOp() {
        Progress p = Progress.start("info", 100);
        assertThat(p.shown()).isFalse();
        assertThat(p).isSameAs(Progress.none());
        p.update(50, 10);
        p.close();
    }

    @Test
    void wanted_onlyForATerminalDevice_andNotWhenTurnedOff() {
        Map<String, String> env = Map.of("TERM", "xterm-256color");
        assertThat(Progress.wanted(env, "/dev/pts/3")).isTrue();
        assertThat(Progress.wanted(env, "/dev/tty1")).isTrue();
        assertThat(Progress.wanted(env, "pipe:[123456]")).isFalse();
        assertThat(Progress.wanted(env, "socket:[99]")).isFalse();
        assertThat(Progress.wanted(env, "/tmp/iotpcap.log")).isFalse();
        assertThat(Progress.wanted(env, "/dev/null")).isFalse();

        for (String off : List.of("0", "false", "OFF", "no")) {
            assertThat(Progress.wanted(Map.of("TERM", "xterm", "IOTPCAP_PROGRESS", off), "/dev/pts/3")).as(off)
                    .isFalse();
        }
        assertThat(Progress.wanted(Map.of("TERM", "xterm", "IOTPCAP_PROGRESS", "1"), "/dev/pts/3")).isTrue();
        assertThat(Progress.wanted(Map.of("TERM", "dumb"), "/dev/pts/3")).isFalse();
    }

    @Test
    void timeLeft_isTheElapsedTimeScaledByWhatIsLeft() {
        // 1 s elapsed, 25 of 100 bytes read: 75 bytes at 25 bytes/s.
        assertThat(Progress.timeLeft(Duration.ofSeconds(1), 25, 100)).contains(Duration.ofSeconds(3));
        assertThat(Progress.timeLeft(Duration.ofSeconds(4), 100, 100)).contains(Duration.ZERO);
        assertThat(Progress.timeLeft(Duration.ofSeconds(1), 0, 100)).isEmpty();
        assertThat(Progress.timeLeft(Duration.ofSeconds(1), 25, -1)).isEmpty();
    }

    @Test
    void none_doesNothing_andClosingTwiceIsHarmless() {
        Progress p = Progress.none();
        assertThat(p.shown()).isFalse();
        p.update(1, 1);
        p.close();
        p.close();
    }
}
