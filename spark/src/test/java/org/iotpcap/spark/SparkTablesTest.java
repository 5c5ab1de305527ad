package org.iotpcap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.dissect.Binding;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.dissect.Heuristics;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.testing.TestCaptures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every table read through the Spark source equals the same table loaded into DuckDB by the CLI's path, row for
 * row and column for column (declared columns; DuckDB's derived ones are not in the declarations): for every
 * fixture, every shared capture (when ../shared/captures exists), the files of the ring buffer read as
 * independent captures, and the ring buffer read as one continuous capture.
 *
 * <p>Every capture that needs no binding of its own is read in one Spark load per table (one partition per
 * file, two executor threads), compared with the CLI's load of the same files as one dataset: the rows also show
 * that partitions keep their captures apart, and that every stream number (TCP streams and UDP flows, numbered on
 * from file to file) is the CLI's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTablesTest {
    private static final Path RING = Path.of("fixtures", "ring", "parts");

    private SparkSession spark;

    @BeforeAll
    void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    void stop() {
        spark.stop();
    }

    static List<String> ringParts() throws Exception {
        try (Stream<Path> s = Files.list(RING)) {
            List<String> parts = s.map(Path::toString).filter(p -> p.endsWith(".pcapng")).sorted().toList();
            assertThat(parts).hasSizeGreaterThan(1);
            return parts;
        }
    }

    /** Each capture's tables loaded by the CLI's path, by table, then by capture. */
    private static Map<TableDeclaration, Map<String, List<String>>> duckdb(Pipeline.Inputs inputs, List<String> decode)
            throws Exception {
        Map<TableDeclaration, Map<String, List<String>>> out = new HashMap<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(inputs, new CaptureLoader.Options(new Bindings(decode.stream().map(Binding::parse)
                    .toList(), Heuristics.DEFAULTS), false), db);
            for (TableDeclaration t : Tables.ALL) {
                out.put(t, TableRows.duckdb(db, t));
            }
        }
        return out;
    }

    private Map<String, List<String>> spark(TableDeclaration t, List<String> files, List<String> decode, boolean continuous) {
        Dataset<Row> df = spark.read().format("iotpcap").option("table", t.name())
                .option("decode", String.join(",", decode)).option("continuous", continuous)
                .load(files.toArray(new String[0]));
        assertThat(df.rdd().getNumPartitions()).isEqualTo(continuous ? 1 : files.size());
        return TableRows.spark(df.collectAsList(), t);
    }

    /** Reads {@code groups} (captures sharing one binding list) and compares each table, capture by capture. */
    private void compare(Map<List<String>, List<String>> groups) throws Exception {
        long rows = 0;
        Set<String> nonEmpty = new LinkedHashSet<>();
        for (Map.Entry<List<String>, List<String>> g : groups.entrySet()) {
            List<String> decode = g.getKey();
            // the files as one dataset of independent captures, as the CLI loads them (runEach: TCP streams and
            // UDP flows numbered on from file to file)
            Map<TableDeclaration, Map<String, List<String>>> expected = duckdb(new Pipeline.Inputs(g.getValue(), false),
                    decode);
            for (TableDeclaration t : Tables.ALL) {
                Map<String, List<String>> got = spark(t, g.getValue(), decode, false);
                assertThat(got).as("table %s of %s", t.name(), g.getValue()).isEqualTo(expected.get(t));
                for (List<String> r : got.values()) {
                    rows += r.size();
                }
                if (!got.isEmpty()) {
                    nonEmpty.add(t.name());
                }
            }
        }
        assertThat(rows).isGreaterThan(1000);
        assertThat(nonEmpty).as("tables with rows").hasSizeGreaterThan(Tables.ALL.size() / 2);
    }

    @Test
    void everyTableOfEveryCaptureEqualsTheDuckDbPath() throws Exception {
        Map<List<String>, List<String>> groups = new HashMap<>();
        for (TestCaptures.TestCapture c : TestCaptures.all()) {
            groups.computeIfAbsent(c.iotpcapDecode(), k -> new ArrayList<>()).add(c.path().toString());
        }
        groups.get(List.of()).addAll(ringParts());
        compare(groups);
    }

    private static List<String> cliCsv(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = org.iotpcap.cli.Main.execute(args, new java.io.PrintWriter(out), new java.io.PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        return out.toString().lines().skip(1).toList();
    }

    /**
     * A directory and a glob, expanded by Hadoop as the CLI expands them: the same files in the same order, so the
     * same stream numbers; against {@code iotpcap query} on the same arguments. The counts the offsets come from
     * are counted once for the file list, whatever the number of tables read.
     */
    @Test
    void directoryAndGlobNumberStreamsAsTheCli() throws Exception {
        String sql = "SELECT capture, stream, client_port, server_port, first_frame FROM tcp_connections";
        for (String arg : List.of(RING.toString(), RING + "/ring_0000[1-4].pcapng")) {
            List<String> cli = cliCsv("query", arg, sql + " ORDER BY stream", "--format", "csv");
            spark.read().format("iotpcap").option("table", "tcp_connections").load(arg)
                    .createOrReplaceTempView("tcp_connections");
            List<String> got = spark.sql(sql + " ORDER BY stream").collectAsList().stream()
                    .map(r -> r.mkString(",")).toList();
            assertThat(got).as(arg).isEqualTo(cli).hasSizeGreaterThan(3);
            assertThat(got.stream().map(l -> l.split(",")[1]).distinct()).as("unique streams").hasSameSizeAs(got);
        }
        // counted once for the file list, however many tables are read
        CaptureCounts.forget();
        java.util.concurrent.atomic.AtomicInteger counting = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.spark.scheduler.SparkListener listener = new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
                String d = job.properties() == null ? null : job.properties().getProperty("spark.job.description");
                if (d != null && d.startsWith("iotpcap: counting")) {
                    counting.incrementAndGet();
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        try {
            for (String table : List.of("frames", "tcp_connections", "mqtt_messages")) {
                spark.read().format("iotpcap").option("table", table).load(RING.toString()).count();
            }
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        assertThat(counting.get()).isEqualTo(1);
    }

    /** The TLS and DTLS fixtures the CLI's tests decrypt, and their key logs (fixtures/generate wrote both). */
    static final List<String> ENCRYPTED = List.of("fixtures/captures/mqtt-tls.pcapng",
            "fixtures/captures/coap-dtls.pcapng", "fixtures/captures/coap-dtls-psk.pcapng",
            "fixtures/tls/dtls-fragments.pcapng", "fixtures/tls/tls13-keyupdate.pcapng",
            "fixtures/websocket/mqtt-wss.pcapng");
    static final List<String> KEY_LOGS = List.of("fixtures/captures/mqtt-tls.keylog",
            "fixtures/captures/coap-dtls.keylog", "fixtures/tls/dtls-fragments.keylog",
            "fixtures/tls/tls13-keyupdate.keylog", "fixtures/websocket/mqtt-wss.keylog");
    /** The generator's test key for coap-dtls-psk (fixtures/generate, phase_dtls; DtlsDecryptionTest's). */
    static final String PSK_HEX = "0102030405060708090a0b0c0d0e0f10";
    static final String PSK = "device-1:" + PSK_HEX;
    /** openssl s_server's port in tls13-keyupdate and the broker's WSS port in mqtt-wss (their tests' bindings). */
    static final List<String> TLS_PORTS = List.of("tcp.port==4433:tls", "tcp.port==9443:tls");

    /**
     * The options keylog and psk decrypt as --keylog and --psk do: every table of the encrypted fixtures, read as
     * one dataset with all their key logs and the pre-shared key, equals the CLI's load with the same keys; each
     * fixture has a decrypted connection (none without the keys), and the query's plan does not show the keys.
     */
    @Test
    void keyLogAndPskOptionsEqualTheCliDecryption() throws Exception {
        Map<TableDeclaration, Map<String, List<String>>> expected = new HashMap<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(new Pipeline.Inputs(ENCRYPTED, false), new CaptureLoader.Options(new Bindings(
                    TLS_PORTS.stream().map(Binding::parse).toList(), Heuristics.DEFAULTS), false).withKeyLogs(KEY_LOGS.stream().map(Path::of).toList())
                    .withPsks(Map.of("device-1", java.util.HexFormat.of().parseHex(PSK_HEX))), db);
            for (TableDeclaration t : Tables.ALL) {
                expected.put(t, TableRows.duckdb(db, t));
            }
        }
        String secret = Files.readString(Path.of(KEY_LOGS.get(0))).lines().filter(l -> l.startsWith("CLIENT_RANDOM"))
                .findFirst().orElseThrow().split(" ")[2];
        long rows = 0;
        for (TableDeclaration t : Tables.ALL) {
            Dataset<Row> df = spark.read().format("iotpcap").option("table", t.name()).option("decode", String.join(",", TLS_PORTS))
                    .option("keylog", String.join("\n", KEY_LOGS)).option("psk", PSK)
                    .load(ENCRYPTED.toArray(new String[0]));
            Map<String, List<String>> got = TableRows.spark(df.collectAsList(), t);
            assertThat(got).as(t.name()).isEqualTo(expected.get(t));
            rows += got.values().stream().mapToLong(List::size).sum();
            String plan = df.queryExecution().toString();
            assertThat(plan).as("the plan of %s", t.name()).doesNotContain(PSK_HEX).doesNotContain(secret);
        }
        assertThat(rows).isGreaterThan(500);
        String decrypted = "SELECT count(DISTINCT capture) FROM tls WHERE decrypted";
        spark.read().format("iotpcap").option("table", "tls_connections").option("decode", String.join(",", TLS_PORTS))
                .option("keylog", String.join("\n", KEY_LOGS)).option("psk", PSK).load(ENCRYPTED.toArray(new String[0])).createOrReplaceTempView("tls");
        assertThat(spark.sql(decrypted).first().getLong(0)).isEqualTo(ENCRYPTED.size());
        spark.read().format("iotpcap").option("table", "tls_connections").option("decode", String.join(",", TLS_PORTS)).load(ENCRYPTED.toArray(new String[0]))
                .createOrReplaceTempView("tls");
        assertThat(spark.sql(decrypted).first().getLong(0)).isZero();
    }

    /** The ring buffer as one capture: one partition, the same rows as the CLI's --continuous. */
    @Test
    void continuousRingBufferEqualsTheDuckDbPath() throws Exception {
        List<String> parts = ringParts();
        Map<TableDeclaration, Map<String, List<String>>> expected = duckdb(new Pipeline.Inputs(parts, true), List.of());
        long rows = 0;
        for (TableDeclaration t : Tables.ALL) {
            Map<String, List<String>> got = spark(t, parts, List.of(), true);
            assertThat(got).as("table %s", t.name()).isEqualTo(expected.get(t));
            rows += got.values().stream().mapToLong(List::size).sum();
        }
        assertThat(rows).isGreaterThan(50);
    }

    /**
     * The CLI's options as the source's: keepSecrets (the passwords appear, as with --keep-secrets),
     * heuristics=false (as --no-heuristics) and a decode binding, every table equal to DuckDB's load with the
     * same options.
     */
    @Test
    void optionsEqualTheCliOptions() throws Exception {
        String sample = Path.of("fixtures", "captures", "sample.pcapng").toString();
        List<Binding> decode = List.of(Binding.parse("udp.port==1886:mqttsn"));
        Map<TableDeclaration, Map<String, List<String>>> expected = new HashMap<>();
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(sample, new CaptureLoader.Options(new Bindings(decode, Heuristics.NONE), true), db);
            for (TableDeclaration t : Tables.ALL) {
                expected.put(t, TableRows.duckdb(db, t));
            }
        }
        for (TableDeclaration t : Tables.ALL) {
            Dataset<Row> df = spark.read().format("iotpcap").option("table", t.name()).option("keepSecrets", "true")
                    .option("heuristics", "false").option("decode", "udp.port==1886:mqttsn").load(sample);
            assertThat(TableRows.spark(df.collectAsList(), t)).as(t.name()).isEqualTo(expected.get(t));
        }
        assertThat(spark.read().format("iotpcap").option("table", "mqtt_messages").option("keepSecrets", "true")
                .load(sample).filter("password IS NOT NULL").count()).isGreaterThan(0);
    }

    /**
     * The source's time window (options from, to) keeps the rows DuckDB's window views keep, table by table,
     * those narrowed through the frames (malformed, mqtt_wills, mqtt_clients) included: from the middle of the
     * sample, and up to it.
     */
    @Test
    void timeWindowOptionsEqualTheCliWindow() throws Exception {
        String sample = Path.of("fixtures", "captures", "sample.pcapng").toString();
        long rows = 0;
        for (boolean upTo : new boolean[] {false, true}) {
            try (Database db = Database.inMemory()) {
                CaptureLoader.load(sample, new CaptureLoader.Options(Bindings.defaults(), false), db);
                long middle;
                try (var st = db.connection().createStatement();
                     var rs = st.executeQuery("SELECT (min(time_ns) + max(time_ns)) // 2 FROM frames")) {
                    rs.next();
                    middle = rs.getLong(1);
                }
                org.iotpcap.analysis.TimeWindow.apply(db.connection(), upTo ? Long.MIN_VALUE : middle,
                        upTo ? middle : Long.MAX_VALUE);
                String at = java.time.Instant.ofEpochSecond(0, middle).toString();
                for (TableDeclaration t : Tables.ALL) {
                    Map<String, List<String>> expected = TableRows.duckdb(db, t);
                    Map<String, List<String>> got = TableRows.spark(spark.read().format("iotpcap")
                            .option("table", t.name()).option(upTo ? "to" : "from", at).load(sample).collectAsList(), t);
                    assertThat(got).as("%s %s %s", t.name(), upTo ? "to" : "from", at).isEqualTo(expected);
                    rows += got.values().stream().mapToLong(List::size).sum();
                }
            }
        }
        assertThat(rows).isGreaterThan(500);
    }

    /** Spark SQL reads the source by its short name; a query asks for two columns and the scan reads two. */
    @Test
    void sparkSqlAndColumnPruning() {
        String sample = Path.of("fixtures", "captures", "sample.pcapng").toString();
        spark.sql("CREATE OR REPLACE TEMPORARY VIEW sample_frames USING iotpcap OPTIONS (table 'frames', path '"
                + sample + "')");
        long viaSql = spark.sql("SELECT count(*) FROM sample_frames WHERE transport = 'udp'").first().getLong(0);
        Dataset<Row> frames = spark.read().format("iotpcap").option("table", "frames").load(sample);
        assertThat(viaSql).isEqualTo(frames.filter("transport = 'udp'").count()).isGreaterThan(0);

        Dataset<Row> two = frames.select("frame", "time");
        org.apache.spark.sql.types.StructType read = two.queryExecution().executedPlan()
                .collect(new scala.runtime.AbstractPartialFunction<org.apache.spark.sql.execution.SparkPlan,
                        org.apache.spark.sql.types.StructType>() {
                    @Override
                    public boolean isDefinedAt(org.apache.spark.sql.execution.SparkPlan p) {
                        return p instanceof org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
                    }

                    @Override
                    public org.apache.spark.sql.types.StructType apply(org.apache.spark.sql.execution.SparkPlan p) {
                        return ((org.apache.spark.sql.execution.datasources.v2.BatchScanExec) p).scan().readSchema();
                    }
                }).head();
        assertThat(read.fieldNames()).containsExactly("frame", "time");
        // the pass fills only the columns read (and time's source, time_ns): their values are those of a full read
        List<String> whole = frames.collectAsList().stream()
                .map(r -> r.getAs("frame") + " " + r.getAs("time")).toList();
        assertThat(two.collectAsList().stream().map(r -> r.get(0) + " " + r.get(1)).toList())
                .containsExactlyElementsOf(whole).allSatisfy(x -> assertThat(x).doesNotEndWith(" null"));
    }
}
