package org.iotpcap.spark;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.iotpcap.analysis.TimeWindow;
import org.iotpcap.semantic.TopicFilter;
import org.iotpcap.semantic.tables.Tables;
import org.iotpcap.sql.Database;
import org.iotpcap.table.TableDeclaration;

/**
 * Every iotpcap table of a set of captures as a Spark SQL temporary view named as in DuckDB, with the macros as
 * functions, so that SQL written for {@code iotpcap query} and the named analyses run on Spark
 * ({@link SparkSql#translate} first):
 * <ul>
 *   <li>{@code _iotpcap_raw_TABLE}: the data source's rows ({@link IotpcapSource}), cached on first use (a query
 *       that reads k tables decodes each capture k times, once per table, then reads the cache);</li>
 *   <li>{@code _iotpcap_all_TABLE}: plus the columns derive.sql adds after DuckDB's load ({@code server_name},
 *       {@code broker_name}), computed from the same SQL text ({@link Database#derivedColumns()});</li>
 *   <li>{@code TABLE}: narrowed to the time window, when there is one, by {@link TimeWindow#conditions}, the
 *       conditions DuckDB's views use.</li>
 * </ul>
 */
public final class IotpcapTables {
    private IotpcapTables() {}

    /** The registered views; closing drops the cached rows (the views stay, uncached). */
    public record Views(List<Dataset<Row>> cached) implements AutoCloseable {
        @Override
        public void close() {
            cached.forEach(Dataset::unpersist);
        }
    }

    /**
     * Registers the views and functions.
     *
     * @param captures files, directories or globs on any Hadoop file system
     * @param options the source's options ({@link ReadOptions}) but {@code table}
     * @param fromNanos start of the time window (null: open)
     * @param toNanos end of the time window, exclusive (null: open)
     */
    public static Views register(SparkSession spark, List<String> captures, Map<String, String> options,
                                 Long fromNanos, Long toNanos) {
        registerFunctions(spark);
        List<Dataset<Row>> cached = new java.util.ArrayList<>();
        for (TableDeclaration t : Tables.ALL) {
            Dataset<Row> df = spark.read().format("iotpcap").options(options).option("table", t.name())
                    .load(captures.toArray(new String[0])).cache();
            df.createOrReplaceTempView(raw(t.name()));
            cached.add(df);
        }
        for (TableDeclaration t : Tables.ALL) {
            StringBuilder derived = new StringBuilder("SELECT t.*");
            for (Database.DerivedColumn c : Database.derivedColumns()) {
                if (c.table().equals(t.name())) {
                    derived.append(", ").append(rawTables(c.value())).append(" AS ").append(c.column());
                }
            }
            spark.sql(SparkSql.translate(derived + " FROM " + raw(t.name()) + " t")).createOrReplaceTempView(all(t.name()));
        }
        Map<String, String> window = fromNanos == null && toNanos == null ? Map.of()
                : TimeWindow.conditions(fromNanos == null ? Long.MIN_VALUE : fromNanos,
                        toNanos == null ? Long.MAX_VALUE : toNanos, all("frames"));
        for (TableDeclaration t : Tables.ALL) {
            String cond = window.get(t.name());
            spark.sql("SELECT * FROM " + all(t.name()) + " AS " + TimeWindow.ALIAS + (cond == null ? "" : " WHERE " + cond))
                    .createOrReplaceTempView(t.name());
        }
        return new Views(List.copyOf(cached));
    }

    /**
     * The macros of schema.sql as Spark functions: {@code topic_matches} and {@code topic_levels} are
     * {@link TopicFilter}'s rules, {@code local_time(ns, zone)} the wall-clock time of a {@code *_ns} value in
     * a zone (microseconds, as DuckDB's).
     */
    public static void registerFunctions(SparkSession spark) {
        spark.udf().register("topic_matches", (UDF2<String, String, Boolean>) TopicFilter::matches,
                DataTypes.BooleanType);
        spark.udf().register("topic_levels", (UDF1<String, Integer>) TopicFilter::levels, DataTypes.IntegerType);
        spark.udf().register("local_time", (UDF2<Long, String, LocalDateTime>) (ns, zone) -> ns == null || zone == null
                ? null : LocalDateTime.ofInstant(Instant.ofEpochSecond(0, ns).truncatedTo(ChronoUnit.MICROS),
                ZoneId.of(zone)), DataTypes.TimestampNTZType);
    }

    private static String raw(String table) {
        return "_iotpcap_raw_" + table;
    }

    private static String all(String table) {
        return "_iotpcap_all_" + table;
    }

    /** derive.sql's subqueries read the loaded tables, before any window: here the raw views. */
    private static String rawTables(String sql) {
        String out = sql;
        for (TableDeclaration t : Tables.ALL) {
            out = out.replaceAll("\\bFROM " + t.name() + "\\b", "FROM " + raw(t.name()));
        }
        return out;
    }
}
