package org.iotpcap.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureFiles;
import org.iotpcap.capture.NotACaptureException;
import org.iotpcap.engine.Summary;
import org.iotpcap.pipeline.Pipeline;

/**
 * What the pass of each partition numbers, counted by a Spark job of one task per partition on the driver's
 * request ({@link Pipeline#count}: the capture reader and the engine, no dissector, semantic model or table):
 * the TCP connections and UDP flows of each file of a dataset of independent captures, whose sums over the files
 * before file k are file k's stream offsets (as the CLI's {@link Pipeline#runEach} numbers them, so a
 * {@code stream} is unique across the dataset), and the capture files' warnings, which {@code run} prints and
 * {@code --strict} honours. The counts are kept in the driver by file list (names, paths, lengths and
 * modification times) and continuity, so a query over several tables, or run's views, count once; they do not
 * depend on the other options (the engine alone numbers streams).
 */
final class CaptureCounts {
    private CaptureCounts() {}

    /** One partition's counts: a file's, or a continuous set's. */
    record Counts(long tcpConnections, long udpFlows, List<String> warnings) implements Serializable {
        Counts {
            warnings = List.copyOf(warnings);
        }
    }

    private record Key(List<HadoopCaptures.File> files, boolean continuous) {}

    /** File lists whose counts are kept: the least recently used is dropped first. */
    private static final int KEPT = 64;

    private static final Map<Key, List<Counts>> CACHE = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, List<Counts>> eldest) {
                    return size() > KEPT;
                }
            });

    /**
     * The counts of the partitions of {@code files}, in order: one per file, or one for a continuous set; counted
     * once per file list (a job on {@code spark}), then kept.
     */
    static List<Counts> of(SparkSession spark, List<HadoopCaptures.File> files, boolean continuous,
                           Map<String, String> hadoopConf) {
        Key key = new Key(List.copyOf(files), continuous);
        List<Counts> kept = CACHE.get(key);
        if (kept != null) {
            return kept;
        }
        List<List<HadoopCaptures.File>> units = new ArrayList<>();
        if (continuous) {
            units.add(key.files());
        } else {
            key.files().forEach(f -> units.add(List.of(f)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String description = jsc.getLocalProperty("spark.job.description");
        jsc.setJobDescription("iotpcap: counting the streams of " + files.size() + " capture file(s)");
        List<Counts> counts;
        try {
            counts = List.copyOf(jsc.parallelize(units, units.size()).map(u -> count(u, hadoopConf)).collect());
        } finally {
            jsc.setLocalProperty("spark.job.description", description);
        }
        CACHE.put(key, counts);
        return counts;
    }

    /** Forgets every count kept (a test's fresh start). */
    static void forget() {
        CACHE.clear();
    }

    private static Counts count(List<HadoopCaptures.File> unit, Map<String, String> hadoopConf) throws IOException {
        CaptureFiles files = HadoopCaptures.opener(unit, hadoopConf);
        Limits limits = ReadOptions.limits();
        String first = unit.get(0).name();
        Summary s;
        try {
            s = unit.size() == 1 ? Pipeline.count(first, files, limits)
                    : Pipeline.countContinuous(unit.stream().map(HadoopCaptures.File::name).toList(), files, limits);
        } catch (NotACaptureException e) {
            throw unit.size() == 1 && !e.getMessage().startsWith(first) ? new NotACaptureException(first + ": "
                    + e.getMessage()) : e;
        }
        return new Counts(s.tcpConnections, s.udpFlows, s.warnings);
    }
}
