package org.iotpcap.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisResult;
import org.apache.spark.sql.Row;
import org.iotpcap.cli.Problems;
import org.iotpcap.cli.RunEngine;
import org.iotpcap.dissect.Binding;
import org.iotpcap.engine.Summary;
import picocli.CommandLine.Option;

/**
 * {@code iotpcap-spark run}'s engine: a Spark session (local[*] unless {@code --master} says otherwise), the
 * captures as views ({@link IotpcapTables}), the analyses run by {@link SparkAnalysisRunner}. Also the picocli
 * mixin of the options only iotpcap-spark has.
 */
public final class SparkEngine implements RunEngine {
    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master: local[N], spark://HOST:7077, yarn, k8s://https://HOST:443 "
                    + "(default: ${DEFAULT-VALUE}; docs/spark.md)")
    String master;

    /**
     * A task's or the planner's failure to read a capture (missing, unreadable, not a capture) as the
     * {@link IOException} it wraps, which {@code run} reports as an input error (exit 3) like the CLI; any other
     * failure as it is.
     */
    static Exception inputProblem(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IOException io) {
                return io;
            }
        }
        return e;
    }

    /**
     * Starts Spark, or joins the session this JVM already runs (a notebook's, a test's), which it then leaves
     * running; {@code --master} applies to a session it starts.
     */
    @Override
    public Session open(Request request) throws Exception {
        boolean joined = SparkSession.getDefaultSession().isDefined();
        SparkSession spark = joined ? SparkSession.getDefaultSession().get()
                : SparkSession.builder().appName("iotpcap-spark run").master(master)
                        .config("spark.ui.showConsoleProgress", "false").getOrCreate();
        spark.conf().set("spark.sql.session.timeZone", request.zone().getId());
        Map<String, String> options = new HashMap<>();
        options.put("decode", String.join(",", request.decode().stream().map(Binding::toString).toList()));
        options.put("heuristics", Boolean.toString(request.heuristics()));
        options.put("keepSecrets", Boolean.toString(request.keepSecrets()));
        options.put("continuous", Boolean.toString(request.continuous()));
        IotpcapTables.Views views;
        try {
            org.apache.hadoop.conf.Configuration conf = spark.sessionState().newHadoopConf();
            for (String k : request.keyLogs()) {
                try {
                    HadoopCaptures.readText(k, conf);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read --keylog " + k);
                }
            }
            if (!request.keyLogs().isEmpty()) {
                options.put("keylog", String.join("\n", request.keyLogs()));
            }
            if (!request.psks().isEmpty()) {
                options.put("psk", String.join("\n", request.psks().entrySet().stream()
                        .map(e -> e.getKey() + ":" + java.util.HexFormat.of().formatHex(e.getValue())).toList()));
            }
            views = IotpcapTables.register(spark, request.captures(), options, request.fromNanos(), request.toNanos());
        } catch (Exception e) { // a Spark job's failure while planning (checked, though the Scala API declares none)
            if (!joined) {
                spark.stop();
            }
            throw inputProblem(e);
        }
        SparkAnalysisRunner runner = new SparkAnalysisRunner(spark);
        return new Session() {
            @Override
            public AnalysisResult run(Analysis a, Map<String, String> given, Evidence reader) throws Exception {
                try {
                    return runner.run(a, given, reader);
                } catch (Exception e) { // a Spark job's failure (checked, though the Scala API declares none)
                    throw inputProblem(e);
                }
            }

            /**
             * The CLI's warnings and {@code --strict} ({@link Problems}): the capture files' warnings (a file cut
             * short), which the counting job finds ({@link CaptureCounts}, kept from planning when the files were
             * counted for their stream numbers), and with {@code --strict} the malformed records and limits
             * reached, which every layer writes to the malformed table (the CLI's summary counts the same).
             */
            @Override
            public int exitCode(boolean strict, PrintWriter err) throws Exception {
                try {
                    org.apache.hadoop.conf.Configuration conf = spark.sessionState().newHadoopConf();
                    Summary problems = new Summary();
                    for (CaptureCounts.Counts c : CaptureCounts.of(spark, HadoopCaptures.expand(request.captures(),
                            conf), request.continuous(), HadoopCaptures.entries(conf))) {
                        problems.warnings.addAll(c.warnings());
                    }
                    if (strict) {
                        for (Row r : spark.sql("SELECT layer, reason, count(*) FROM _iotpcap_raw_malformed "
                                + "GROUP BY layer, reason").collectAsList()) {
                            problems.malformed.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
                        }
                    }
                    return Problems.exitCode(problems, strict, err, "iotpcap-spark");
                } catch (Exception e) { // a Spark job's failure (checked, though the Scala API declares none)
                    throw inputProblem(e);
                }
            }

            @Override
            public void close() {
                views.close();
                if (!joined) {
                    spark.stop();
                }
            }
        };
    }
}
