package org.iotpcap.spark;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.iotpcap.analysis.Analysis;
import org.iotpcap.analysis.AnalysisResult;
import org.iotpcap.analysis.AnalysisRunner;
import org.iotpcap.analysis.SqlValues;
import org.iotpcap.cli.ResultRows;
import org.iotpcap.cli.RunEngine;

/**
 * Runs a named analysis on Spark over the views of {@link IotpcapTables}: the same preparation as on DuckDB
 * ({@link AnalysisRunner#prepare}: parameters checked and resolved, DNS names looked up with the same query, the
 * same address-macro bodies, defined here as SQL functions), the analysis's own SQL translated
 * ({@link SparkSql}), its evidence kept while the answer, the count and the frames are read from it, then
 * streamed to the caller in order.
 */
public final class SparkAnalysisRunner {
    private static final String EVIDENCE = "_analysis_evidence";

    private final SparkSession spark;

    public SparkAnalysisRunner(SparkSession spark) {
        this.spark = spark;
    }

    public AnalysisResult run(Analysis a, Map<String, String> given, RunEngine.Evidence reader) throws Exception {
        AnalysisRunner.Prepared p = AnalysisRunner.prepare(a, given, this::lookUp);
        for (Map.Entry<String, String> m : p.addressMacros().entrySet()) {
            spark.sql("CREATE OR REPLACE TEMPORARY FUNCTION " + m.getKey() + "(" + AnalysisRunner.MACRO_ARGUMENT
                    + " STRING) RETURNS BOOLEAN RETURN " + m.getValue());
        }
        Dataset<Row> evidence = spark.sql(SparkSql.translate(p.sql())).persist();
        try {
            evidence.createOrReplaceTempView(EVIDENCE);
            Row counted = spark.sql("SELECT count(*), " + SparkSql.translate(a.answer()) + " FROM " + EVIDENCE).first();
            AnalysisResult result = new AnalysisResult(a, p.parameters(), SqlValues.plain(counted.get(1)),
                    counted.getLong(0), reader.framesWanted() ? frames(evidence.columns()) : null);
            reader.read(result, rows(evidence));
            return result;
        } finally {
            spark.catalog().dropTempView(EVIDENCE);
            evidence.unpersist();
        }
    }

    private List<AnalysisResult.ResolvedAddress> lookUp(String name) {
        List<AnalysisResult.ResolvedAddress> out = new ArrayList<>();
        for (Row r : spark.sql(AnalysisRunner.NAMES_QUERY, new Object[] {name}).collectAsList()) {
            out.add(new AnalysisResult.ResolvedAddress(r.getString(0), r.getLong(1), r.getString(2)));
        }
        return out;
    }

    /** {@link AnalysisResult#evidenceFrames()}: null without a frame column or when several captures show. */
    private SortedSet<Long> frames(String[] columns) {
        List<String> frameColumns = Arrays.stream(columns).filter(AnalysisResult::isFrameColumn).toList();
        if (frameColumns.isEmpty()) {
            return null;
        }
        if (Arrays.asList(columns).contains("capture")
                && spark.sql("SELECT count(DISTINCT capture) FROM " + EVIDENCE).first().getLong(0) > 1) {
            return null;
        }
        String array = String.join(", ", frameColumns.stream().map(c -> "try_cast(`" + c + "` AS BIGINT)").toList());
        TreeSet<Long> frames = new TreeSet<>();
        for (Row r : spark.sql("SELECT DISTINCT f FROM (SELECT explode(array(" + array + ")) AS f FROM " + EVIDENCE
                + ") WHERE f IS NOT NULL").collectAsList()) {
            frames.add(r.getLong(0));
        }
        return frames;
    }

    /** The evidence in its order, one partition at a time. */
    private static ResultRows rows(Dataset<Row> evidence) {
        List<String> columns = List.of(evidence.columns());
        Iterator<Row> it = evidence.toLocalIterator();
        return new ResultRows() {
            private Row row;

            @Override
            public List<String> columns() {
                return columns;
            }

            @Override
            public boolean next() {
                row = it.hasNext() ? it.next() : null;
                return row != null;
            }

            @Override
            public Object value(int i) throws SQLException {
                if (row == null) {
                    throw new SQLException("no current row");
                }
                return row.get(i);
            }
        };
    }
}
