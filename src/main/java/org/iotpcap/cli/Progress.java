package org.iotpcap.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.impl.exec.ExecTerminalProvider;
import org.jline.terminal.spi.SystemStream;

/**
 * The progress line of a long command on stderr: percentage, bar, MiB read of the total (when the total is
 * known), MiB/s, frames/s, time elapsed and time left, e.g.
 * {@code info  45% |█████▍      | 120/267MiB (0:00:04 / 0:00:05) 30.0MiB/s 180,311 frames/s} (ASCII when
 * stderr's charset is not UTF-8; no colours).
 *
 * <p>Shown only when stderr is a terminal, and then only once the command has run for a second (short
 * commands never flash a bar); the line is erased when the work is done, so what the command prints next starts
 * on a clean line. Otherwise {@link #start} returns an object whose methods do nothing: stderr a pipe or a file,
 * {@code IOTPCAP_PROGRESS=0} in the environment, or {@code TERM=dumb}. A command's own "no progress" option
 * uses {@link #none()}. Close it before printing anything else to stderr.
 *
 * <p>Drawing is the progressbar library's, on its own daemon thread twice a second; {@link #update} only stores
 * the two numbers (and formats the rates at most twice a second), so the frame loop may call it every few
 * thousand frames. One thread calls {@code update}.
 */
public final class Progress implements AutoCloseable {
    private static final Progress NONE = new Progress(null, -1, null);
    private static final long SHOW_AFTER_NANOS = 1_000_000_000L;
    private static final long MESSAGE_EVERY_NANOS = 500_000_000L;
    private static final int REFRESH_MILLIS = 500;

    private final String task;
    private final long totalBytes;
    /** The terminal device stderr is on, when known (Linux), for its width. */
    private final String tty;
    private final long startNanos;
    private ProgressBar bar;
    private long lastMessageNanos;
    private boolean closed;

    private Progress(String task, long totalBytes, String tty) {
        this.task = task;
        this.totalBytes = totalBytes;
        this.tty = tty;
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts the progress of {@code task} over {@code totalBytes} of input ({@code -1}: unknown, e.g. standard
     * input; then there is no percentage and no time left). Returns the no-op object unless stderr is a terminal.
     */
    public static Progress start(String task, long totalBytes) {
        String target = stderrTarget();
        return wanted(System.getenv(), target) ? new Progress(task, totalBytes, target) : NONE;
    }

    /** The object that shows nothing, for a command asked not to show progress. */
    public static Progress none() {
        return NONE;
    }

    /** True when this object draws (stderr is a terminal and nothing turned it off). */
    public boolean shown() {
        return this != NONE;
    }

    /**
     * Records how far the work is: {@code bytesRead} of the input as stored (for a capture,
     * {@code CaptureReader.position()}) and {@code frames} read so far.
     */
    public void update(long bytesRead, long frames) {
        if (this == NONE || closed) {
            return;
        }
        long now = System.nanoTime();
        if (bar == null) {
            if (now - startNanos < SHOW_AFTER_NANOS) {
                return;
            }
            bar = newBar(now, bytesRead);
        }
        bar.stepTo(bytesRead);
        if (now - lastMessageNanos >= MESSAGE_EVERY_NANOS) {
            lastMessageNanos = now;
            double seconds = (now - startNanos) / 1e9;
            bar.setExtraMessage(String.format(Locale.ROOT, "%.1fMiB/s %,d frames/s",
                    bytesRead / seconds / (1 << 20), Math.round(frames / seconds)));
        }
    }

    /** Erases the line (if it was drawn) and stops the drawing thread; idempotent. */
    @Override
    public void close() {
        if (this == NONE || closed) {
            return;
        }
        closed = true;
        if (bar != null) {
            bar.close();
        }
    }

    /**
     * The bar, made once the command has run a second, with the time already spent; MiB/s, frames/s and the time
     * left are the whole run's averages (formatted here: the library's own speed counts whole seconds only).
     */
    private ProgressBar newBar(long now, long bytesRead) {
        PrintStream err = System.err;
        boolean utf8 = StandardCharsets.UTF_8.equals(err.charset());
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalBytes)
                .setUnit("MiB", 1 << 20)
                .setEtaFunction(s -> s.isIndefinite() ? Optional.empty()
                        : timeLeft(s.getTotalElapsed(), s.getCurrent(), s.getMax()))
                .setStyle(utf8 ? ProgressBarStyle.UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(REFRESH_MILLIS)
                .startsFrom(bytesRead, Duration.ofNanos(now - startNanos))
                .clearDisplayOnFinish()
                .setConsumer(new StderrLine(err, tty))
                .build();
    }

    /** Time left at the average rate so far: elapsed * (total - read) / read; unknown without a total. */
    static Optional<Duration> timeLeft(Duration elapsed, long read, long total) {
        if (total <= 0 || read <= 0) {
            return Optional.empty();
        }
        double seconds = elapsed.toNanos() / 1e9 * Math.max(total - read, 0) / read;
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /**
     * Whether to draw: not when {@code IOTPCAP_PROGRESS} is {@code 0}, {@code false}, {@code off} or {@code no},
     * nor on {@code TERM=dumb}; otherwise when stderr ({@code stderrTarget}, what file descriptor 2 refers to) is a
     * terminal device. {@code stderrTarget} null means unknown: then jline asks the system ({@code test -t 2}).
     */
    static boolean wanted(Map<String, String> env, String stderrTarget) {
        String setting = env.getOrDefault("IOTPCAP_PROGRESS", "").trim().toLowerCase(Locale.ROOT);
        if (setting.equals("0") || setting.equals("false") || setting.equals("off") || setting.equals("no")) {
            return false;
        }
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        if (stderrTarget != null) {
            return isTerminalDevice(stderrTarget);
        }
        try {
            return new ExecTerminalProvider().isPosixSystemStream(SystemStream.Error);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** A terminal device path as Linux names the target of a file descriptor (pipes are "pipe:[n]"). */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /**
     * What file descriptor 2 refers to, read from {@code /proc/self/fd/2} (Linux: no process to start); null
     * where that is not available.
     */
    private static String stderrTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Draws the line on stderr: carriage return, then the line; clearing blanks it and leaves the cursor at its
     * start, and closing adds no newline, so the command's next output is where the line was. The width is asked
     * of the terminal once, on the drawing thread: {@code stty size} on the device when it is known, else jline
     * (which runs {@code stty} on the inherited streams), else {@code COLUMNS}, else 80.
     */
    private static final class StderrLine implements ProgressBarConsumer {
        private final PrintStream err;
        private final String tty;
        private int width;

        StderrLine(PrintStream err, String tty) {
            this.err = err;
            this.tty = tty;
        }

        @Override
        public int getMaxRenderedLength() {
            if (width == 0) {
                width = terminalWidth(tty);
            }
            return width - 1; // the last column would wrap on some terminals
        }

        private static int terminalWidth(String tty) {
            try {
                int w = tty != null
                        ? sttyColumns(tty)
                        : new ExecTerminalProvider().systemStreamWidth(SystemStream.Error);
                if (w >= 20) {
                    return w;
                }
            } catch (RuntimeException | LinkageError e) {
                // fall through to COLUMNS
            }
            try {
                int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
                if (w >= 20) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // fall through to 80
            }
            return 80;
        }

        /** {@code stty size} with the terminal as its input prints "rows columns"; -1 if it cannot. */
        private static int sttyColumns(String tty) {
            try {
                Process p = new ProcessBuilder("stty", "size")
                        .redirectInput(new File(tty))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (p.waitFor() != 0) {
                    return -1;
                }
                String[] rowsColumns = out.split("\\s+");
                return rowsColumns.length == 2 ? Integer.parseInt(rowsColumns[1]) : -1;
            } catch (IOException | NumberFormatException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        @Override
        public void accept(String line) {
            err.print('\r');
            err.print(line);
            err.flush();
        }

        @Override
        public void clear() {
            accept(" ".repeat(getMaxRenderedLength()) + "\r");
        }

        @Override
        public void close() {
            err.flush();
        }
    }
}
