package org.iotpcap.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.cli.Main;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.semantic.tables.TcpConnections;
import org.iotpcap.sql.CaptureLoader;
import org.iotpcap.sql.Database;
import org.iotpcap.table.TableDeclaration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The source and the launcher on a cluster in miniature: Spark's {@code local-cluster[2,1,1024]} master, a
 * standalone Master and two Workers in this JVM, each Worker's executor a JVM of its own (the tasks, their
 * partitions and options serialized to it; the captures opened there through Hadoop). One table of a dataset
 * (stream numbers counted by the counting job on the executors) and one analysis with a key log equal the CLI's.
 *
 * <p>No Spark distribution is needed: a Worker launches its executors with Spark's launcher, which wants a Spark
 * home (the Worker's work directory, {@code jars/} and a Scala build directory). The test gives it an empty one
 * under spark/target ({@code spark.test.home}, read while {@code spark.testing} is set, which this test sets only
 * while the session starts) and the executors the test's class path ({@code spark.executor.extraClassPath}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkClusterTest {
    private static final Path RING = Path.of("fixtures", "ring", "parts");
    private static final Path SAMPLE = Path.of("fixtures", "captures", "sample.pcapng");

    private SparkSession spark;

    @BeforeAll
    void start() throws Exception {
        Path home = Path.of("spark", "target", "cluster-home").toAbsolutePath();
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
        System.setProperty("spark.testing", "true");
        System.setProperty("spark.test.home", home.toString());
        try {
            spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("iotpcap-cluster-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.executor.memory", "768m")
                    .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                    .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                    .getOrCreate();
        } finally {
            System.clearProperty("spark.testing");
            System.clearProperty("spark.test.home");
        }
        // both executors registered (the driver counts as one more)
        long until = System.nanoTime() + 60_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < 3 && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(spark.sparkContext().statusTracker().getExecutorInfos()).hasSize(3);
    }

    @AfterAll
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static List<String> files() throws Exception {
        List<String> files = new ArrayList<>(List.of(SAMPLE.toString()));
        try (Stream<Path> s = Files.list(RING)) {
            s.map(Path::toString).sorted().forEach(files::add);
        }
        return files;
    }

    @Test
    void aTableOfADatasetOnTwoExecutorsEqualsTheCli() throws Exception {
        List<String> files = files();
        TableDeclaration t = TcpConnections.T;
        Map<String, List<String>> expected;
        try (Database db = Database.inMemory()) {
            CaptureLoader.load(new Pipeline.Inputs(files, false), new CaptureLoader.Options(Bindings.defaults(), false),
                    db);
            expected = TableRows.duckdb(db, t);
        }
        Map<String, List<String>> got = TableRows.spark(spark.read().format("iotpcap").option("table", t.name())
                .load(files.toArray(new String[0])).collectAsList(), t);
        assertThat(got).isEqualTo(expected);
        assertThat(got.values().stream().mapToLong(List::size).sum()).isGreaterThan(10);
        // the tasks ran in two JVMs, neither this one
        long pids = spark.range(0, 64, 1, 8).javaRDD().map(i -> ProcessHandle.current().pid()).distinct().count();
        assertThat(pids).as("executor processes").isEqualTo(2);
        assertThat(spark.range(0, 8, 1, 8).javaRDD().map(i -> ProcessHandle.current().pid()).collect())
                .doesNotContain(ProcessHandle.current().pid());
    }

    @Test
    void anAnalysisWithAKeyLogEqualsRun() {
        List<String> args = List.of("run", "mqtt-wildcard-subscribers", "fixtures/websocket/mqtt-wss.pcapng",
                "--keylog", "fixtures/websocket/mqtt-wss.keylog", "--decode", "tcp.port==9443:tls", "--format",
                "json", "--set", "broker=local", "--set", "wildcard=#");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err));
        assertThat(code).as(err.toString()).isZero();
        StringWriter sparkOut = new StringWriter();
        StringWriter sparkErr = new StringWriter();
        // joins this JVM's session: the cluster's
        int sparkCode = Main.execute(IotpcapSpark.commandLine(new SparkEngine()), args.toArray(new String[0]),
                new PrintWriter(sparkOut), new PrintWriter(sparkErr));
        assertThat(sparkCode).as(sparkErr.toString()).isZero();
        assertThat(sparkOut.toString()).isEqualTo(out.toString()).contains("\"answer\"");
    }
}
