package org.iotpcap.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.iotpcap.testing.TestCaptures.TestCapture;
import org.junit.jupiter.api.Assumptions;

/**
 * tshark's {@code -T fields} output for a conformance query, live or checked in. Each fixture capture has, for each
 * {@link TsharkQuery}, a file {@code fixtures/tshark/CAPTURE.QUERY.tsv} (gzip-compressed as {@code .tsv.gz} above
 * 64 KiB) holding two header lines, {@code # } + the first line of {@code tshark --version} and {@code # } + the
 * exact command, then tshark's output as it printed it. {@code fixtures/tools/tshark_fields} writes them all again
 * (it runs the conformance tests with {@code -Diotpcap.tshark.record=true}).
 *
 * <p>Where tshark runs, its live output is used, and for a capture that has a checked-in file the file must say
 * the same command and hold the same output, so a stale file fails the test rather than hiding a change. Where
 * tshark is missing, the checked-in file is read (its command must still be the test's). A fixture capture
 * without a file fails either way; another capture without one (the shared captures outside the repository) is
 * compared live, or skipped with {@link Tshark#NOT_FOUND}.
 */
public final class TsharkRecords {
    private TsharkRecords() {}

    /** Where the checked-in outputs live, relative to the repository (the tests' working directory). */
    public static final Path DIR = Path.of("fixtures", "tshark");

    /** The system property that makes the tests write the files from live tshark output. */
    public static final String RECORD_PROPERTY = "iotpcap.tshark.record";

    private static final int GZIP_ABOVE = 64 * 1024;
    private static final String RERUN = "re-run fixtures/tools/tshark_fields";
    private static final Pattern PLAIN_ARGUMENT = Pattern.compile("[A-Za-z0-9_.,:=/+-]+");

    /** tshark's rows and where they came from ("live tshark" or "checked-in" and the file). */
    public record Rows(List<Map<String, String>> rows, String source) {}

    /** A checked-in file: its version line, its command line and the output after them. */
    private record Recorded(Path file, String version, String command, String output) {}

    /** The rows of {@code query} on {@code tc}: see the class comment for where they come from. */
    public static Rows rows(TestCapture tc, TsharkQuery query) {
        String command = display(query.command(tc, shown(tc.path())));
        Path plain = DIR.resolve(tc.path().getFileName() + "." + query.name() + ".tsv");
        Path gz = DIR.resolve(plain.getFileName() + ".gz");
        boolean record = Boolean.getBoolean(RECORD_PROPERTY);
        boolean fixture = tc.path().normalize().startsWith(TestCaptures.FIXTURES);
        if (!Tshark.available()) {
            if (record) {
                throw new AssertionError(RECORD_PROPERTY + " is set but " + Tshark.NOT_FOUND);
            }
            Recorded r = read(plain, gz);
            if (r == null && fixture) {
                throw new AssertionError("no checked-in tshark output " + plain + " for the fixture " + tc + ": " + RERUN);
            }
            Assumptions.assumeTrue(r != null, Tshark.NOT_FOUND + " and " + tc + " has no checked-in output");
            checkCommand(r, command);
            return new Rows(Tshark.rows(r.output(), query.fields()), "checked-in " + r.file());
        }
        String output = Tshark.run(query.command(tc, tc.path()));
        if (record && !tc.path().normalize().startsWith(TestCaptures.SHARED.normalize())) {
            write(plain, gz, "# " + Tshark.version() + "\n# " + command + "\n" + output);
        }
        Recorded r = read(plain, gz);
        if (r == null) {
            if (fixture) {
                throw new AssertionError("no checked-in tshark output " + plain + " for the fixture " + tc + ": " + RERUN);
            }
        } else {
            checkCommand(r, command);
            if (!r.output().equals(output)) {
                throw new AssertionError(r.file() + " is stale: written by " + r.version() + "; the live "
                        + Tshark.version() + " prints otherwise (" + firstDifference(r.output(), output) + "): "
                        + RERUN);
            }
        }
        return new Rows(Tshark.rows(output, query.fields()), "live tshark");
    }

    private static void checkCommand(Recorded r, String command) {
        if (!r.command().equals(command)) {
            throw new AssertionError(r.file() + " was written by another command: " + RERUN + "\n  file: "
                    + r.command() + "\n  test: " + command);
        }
    }

    /** The capture's path as the file records it: relative to the repository, or its name when outside it. */
    private static Path shown(Path capture) {
        Path here = Path.of("").toAbsolutePath();
        Path abs = capture.toAbsolutePath().normalize();
        return abs.startsWith(here) ? here.relativize(abs) : capture.getFileName();
    }

    /** The command as a shell line, {@code tshark} first, arguments quoted where a shell would split them. */
    private static String display(List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("tshark"));
        for (String a : cmd.subList(1, cmd.size())) {
            out.add(PLAIN_ARGUMENT.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return String.join(" ", out);
    }

    private static Recorded read(Path plain, Path gz) {
        try {
            Path file;
            String text;
            if (Files.isRegularFile(gz)) {
                file = gz;
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else if (Files.isRegularFile(plain)) {
                file = plain;
                text = Files.readString(plain);
            } else {
                return null;
            }
            String[] parts = text.split("\n", 3);
            if (parts.length < 3 || !parts[0].startsWith("# ") || !parts[1].startsWith("# ")) {
                throw new AssertionError(file + " does not start with the two header lines: " + RERUN);
            }
            return new Recorded(file, parts[0].substring(2), parts[1].substring(2), parts[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file, compressed when large, and removes the other form. */
    private static void write(Path plain, Path gz, String text) {
        try {
            Files.createDirectories(plain.getParent());
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length > GZIP_ABOVE) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (OutputStream out = new GZIPOutputStream(b)) {
                    out.write(bytes);
                }
                Files.write(gz, b.toByteArray());
                Files.deleteIfExists(plain);
            } else {
                Files.write(plain, bytes);
                Files.deleteIfExists(gz);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstDifference(String recorded, String live) {
        String[] a = recorded.split("\n", -1);
        String[] b = live.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "<end>";
            String y = i < b.length ? b[i] : "<end>";
            if (!x.equals(y)) {
                return "output line " + (i + 1) + ": file '" + x + "', live '" + y + "'";
            }
        }
        return "same lines";
    }
}
