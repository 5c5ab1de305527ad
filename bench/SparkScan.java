import java.util.Arrays;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.Bindings;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.table.TableSink;

/**
 * One read of a table of the captures, for bench/spark: with Spark (the iotpcap data source, counting the
 * table's rows; no column read out, so the figure is the pass itself plus Spark's own costs), or {@code single}:
 * the same pass in this process, one file after another on one thread, its batches dropped as they fill (what a
 * Spark task does, without Spark).
 *
 * <pre>
 *   java -cp SPARK_AND_IOTPCAP_CLASSPATH bench/SparkScan.java local[2] frames a.pcapng b.pcapng ...
 *   java -cp SPARK_AND_IOTPCAP_CLASSPATH bench/SparkScan.java single frames a.pcapng b.pcapng ...
 * </pre>
 * Prints {@code rows=N seconds=S} (the read's wall time; the JVM's and Spark session's start excluded).
 */
public final class SparkScan {
    public static void main(String[] args) throws Exception {
        String[] files = Arrays.copyOfRange(args, 2, args.length);
        long t0;
        long rows;
        if (args[0].equals("single")) {
            t0 = System.nanoTime();
            long[] n = new long[1];
            try (TableSink sink = new TableSink(b -> {
                n[0] += b.rows();
                b.release();
            }, Set.of(Tables.byName(args[1])))) {
                for (String f : files) {
                    Pipeline.run(f, new Pipeline.Options(Bindings.defaults(), false, Limits.forThisHeap()), sink);
                }
            }
            rows = n[0];
        } else {
            SparkSession spark = SparkSession.builder().master(args[0]).appName("iotpcap-bench")
                    .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
            t0 = System.nanoTime();
            rows = spark.read().format("iotpcap").option("table", args[1]).load(files).count();
            spark.stop();
        }
        System.out.printf("rows=%d seconds=%.3f%n", rows, (System.nanoTime() - t0) / 1e9);
    }
}
