package org.iotpcap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.iotpcap.testing.CaptureBytes;
import org.iotpcap.testing.Packets;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a query or a capture can make iotpcap do: SQL cannot read or write files, attach databases, load
 * extensions or turn access back on unless {@code --allow-files}; export's file names come from table names
 * only; MQTT passwords are kept in no output unless {@code --keep-secrets}.
 */
class SecurityTest {
    @TempDir
    Path tmp;

    private Path capture;

    @BeforeEach
    void writeCapture() throws Exception {
        byte[] udp = Packets.ethernet(0x0800, Packets.ipv4("10.0.0.1", "10.0.0.2", Packets.UDP,
                Packets.udp(40000, 1885, new byte[] {0x02, 0x16})));
        capture = tmp.resolve("small.pcap");
        Files.write(capture, CaptureBytes.Pcap.micro(1).record(1_600_000_000L, 0, udp).bytes());
    }

    private static CliErrorsTest.Run run(String... args) {
        return CliErrorsTest.run(args);
    }

    private CliErrorsTest.Run query(String sql, String... more) {
        String[] args = Stream.concat(Stream.of("query", capture.toString(), sql), Stream.of(more)).toArray(String[]::new);
        return run(args);
    }

    @Test
    void copyTo_isRefused_unlessAllowFiles() {
        Path out = tmp.resolve("out.csv");
        String sql = "COPY (SELECT 42 AS x) TO '" + out + "' (FORMAT csv)";
        CliErrorsTest.Run refused = query(sql).oneErrorLine();
        assertThat(refused.code()).isEqualTo(ExitCodes.SQL);
        assertThat(out).doesNotExist();

        assertThat(query(sql, "--allow-files").code()).isZero();
        assertThat(out).exists();
    }

    @Test
    void readingFiles_isRefused_unlessAllowFiles() throws Exception {
        Path csv = tmp.resolve("secret.csv");
        Files.writeString(csv, "a\nclassified\n");
        for (String sql : List.of("SELECT * FROM read_csv('" + csv + "')", "SELECT * FROM '" + csv + "'",
                "SELECT content FROM read_text('" + csv + "')")) {
            CliErrorsTest.Run r = query(sql).oneErrorLine();
            assertThat(r.code()).as(sql).isEqualTo(ExitCodes.SQL);
            assertThat(r.out()).doesNotContain("classified");
        }
        CliErrorsTest.Run allowed = query("SELECT * FROM read_csv('" + csv + "')", "--allow-files");
        assertThat(allowed.code()).isZero();
        assertThat(allowed.out()).contains("classified");
    }

    @Test
    void attach_installAndLoad_andTurningAccessBackOn_areRefused() {
        Path other = tmp.resolve("other.duckdb");
        for (String sql : List.of("ATTACH '" + other + "' AS other", "INSTALL httpfs", "LOAD httpfs",
                "SET enable_external_access = true", "SET lock_configuration = false",
                "RESET enable_external_access")) {
            CliErrorsTest.Run r = query(sql).oneErrorLine();
            assertThat(r.code()).as(sql).isEqualTo(ExitCodes.SQL);
        }
        assertThat(other).doesNotExist();
        // once refused, still refused within the same query
        CliErrorsTest.Run r = query("SET enable_external_access = true; COPY (SELECT 1) TO '" + tmp.resolve("x.csv") + "'");
        assertThat(r.code()).isEqualTo(ExitCodes.SQL);
        assertThat(tmp.resolve("x.csv")).doesNotExist();
    }

    private static Path mqttFixture() {
        Path p = TestCaptures.FIXTURES.resolve("mqtt.pcapng");
        assertThat(p).as("the fixture mqtt.pcapng (run from the repository root)").isRegularFile();
        return p;
    }

    /** The fixture's CONNECT in frame 396 has username "alice" and password "secret" (tshark mqtt.passwd). */
    private static final String PASSWORD = "secret";

    @Test
    void mqttPassword_isInNoOutput_unlessKeepSecrets() throws Exception {
        Path mqtt = mqttFixture();
        String all = "SELECT * FROM mqtt_messages";

        CliErrorsTest.Run q = run("query", mqtt.toString(), all, "--format", "csv");
        assertThat(q.code()).isZero();
        assertThat(q.out()).contains("alice").doesNotContain(PASSWORD);
        CliErrorsTest.Run kept = run("query", mqtt.toString(), all, "--format", "csv", "--keep-secrets");
        assertThat(kept.out()).contains(PASSWORD);   // the check above can fail

        for (String format : List.of("csv", "json", "parquet")) {
            Path dir = tmp.resolve("export-" + format);
            assertThat(run("export", mqtt.toString(), "--to", dir.toString(), "--format", format).code()).isZero();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(PASSWORD);
                }
            }
        }

        Path index = tmp.resolve("mqtt.duckdb");
        assertThat(run("index", mqtt.toString(), "--db", index.toString()).code()).isZero();
        assertThat(new String(Files.readAllBytes(index), StandardCharsets.ISO_8859_1)).doesNotContain(PASSWORD);
        CliErrorsTest.Run tables = run("query", index.toString(),
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'", "--format", "csv");
        for (String table : tables.out().lines().skip(1).map(String::strip).toList()) {
            CliErrorsTest.Run rows = run("query", index.toString(), "SELECT * FROM \"" + table + "\"", "--format", "csv");
            assertThat(rows.code()).as(table).isZero();
            assertThat(rows.out()).as(table).doesNotContain(PASSWORD);
        }
        CliErrorsTest.Run lengths = run("query", index.toString(),
                "SELECT password_present, password_length, password FROM mqtt_messages WHERE username = 'alice'",
                "--format", "csv");
        assertThat(lengths.out().lines().skip(1).toList()).containsExactly("true,6,");
    }

    @Test
    void exportFileNames_comeFromTableNamesOnly() throws Exception {
        Path mqtt = mqttFixture();
        Path dir = tmp.resolve("export");
        CliErrorsTest.Run r = run("export", mqtt.toString(), "--to", dir.toString(), "--format", "csv");
        assertThat(r.code()).isZero();
        CliErrorsTest.Run tables = run("query", mqtt.toString(),
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                        + "AND table_name NOT LIKE '\\_%' ESCAPE '\\'", "--format", "csv");
        List<String> expected = tables.out().lines().skip(1).map(t -> t.strip() + ".csv").sorted().toList();
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().toList())
                    .isEqualTo(expected);
        }
        // a table name that is not one of ours is refused, not turned into a path
        CliErrorsTest.Run bad = run("export", mqtt.toString(), "--to", dir.toString(), "--tables", "../../escape");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(tmp.resolve("escape.parquet")).doesNotExist();
    }
}
