import java.util.Arrays;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark job over the iotpcap data source, for bench/spark: reads TABLE of the captures and counts its rows
 * (every capture decoded; no column read out, so the figure is the pass itself plus Spark's own costs).
 *
 * <pre>
 *   java -cp SPARK_AND_IOTPCAP_CLASSPATH bench/SparkScan.java local[2] frames a.pcapng b.pcapng ...
 * </pre>
 * Prints {@code rows=N seconds=S} (the job's wall time, the session's start excluded) on standard output.
 */
public final class SparkScan {
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master(args[0]).appName("iotpcap-bench")
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").getOrCreate();
        String[] files = Arrays.copyOfRange(args, 2, args.length);
        long t0 = System.nanoTime();
        long rows = spark.read().format("iotpcap").option("table", args[1]).load(files).count();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("rows=%d seconds=%.3f%n", rows, seconds);
        spark.stop();
    }
}
