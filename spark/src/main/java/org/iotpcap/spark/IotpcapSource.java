package org.iotpcap.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The iotpcap tables as a Spark data source (DataSource V2, short name {@code iotpcap}):
 * <pre>{@code
 * spark.read.format("iotpcap").option("table", "mqtt_messages").load("hdfs:///captures/*.pcapng")
 * }</pre>
 * The schema is the table's declaration (DuckDB's columns and types; {@link SparkTypes}); the options are
 * {@link ReadOptions}'; each capture file is one partition ({@link CaptureScan}). docs/spark.md.
 */
public final class IotpcapSource implements TableProvider, DataSourceRegister {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String shortName() {
        return "iotpcap";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return SparkTypes.schema(ReadOptions.of(options).declaration());
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        CaseInsensitiveStringMap options = new CaseInsensitiveStringMap(properties);
        Configuration conf = SparkSession.active().sessionState().newHadoopConf();
        List<String> keyLogs = new java.util.ArrayList<>();
        for (String k : ReadOptions.keyLogPaths(options)) {
            try {
                keyLogs.add(HadoopCaptures.readText(k, conf));
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("option 'keylog': cannot read " + k + " (" + e.getMessage() + ")");
            }
        }
        return new CaptureTable(ReadOptions.of(options).withKeyLogs(keyLogs), HadoopCaptures.expand(paths(options), conf),
                HadoopCaptures.entries(conf));
    }

    /** {@code load(path)} gives option "path", {@code load(p1, p2, ...)} gives "paths" as a JSON array. */
    private static List<String> paths(CaseInsensitiveStringMap options) {
        String many = options.get("paths");
        if (many != null) {
            try {
                List<String> list = JSON.readValue(many, new TypeReference<List<String>>() {});
                if (!list.isEmpty()) {
                    return list;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("option 'paths' is not a JSON array of strings: " + many, e);
            }
        }
        String one = options.get("path");
        if (one == null) {
            throw new IllegalArgumentException("no capture given: load(\"captures/*.pcapng\")");
        }
        return List.of(one);
    }
}
