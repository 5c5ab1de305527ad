package org.iotpcap.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The scan of one table over a set of captures: the columns Spark needs (column pruning: only those are read
 * out of the batches), and one partition per capture file, or one for a whole {@code continuous} set. Planning
 * several independent files runs the counting job of {@link CaptureCounts} (once per file list) for the files'
 * stream offsets.
 */
final class CaptureScan implements Scan, Batch {
    private final ReadOptions options;
    private final List<HadoopCaptures.File> files;
    private final StructType schema;
    private final Map<String, String> hadoopConf;

    CaptureScan(ReadOptions options, List<HadoopCaptures.File> files, StructType schema,
                Map<String, String> hadoopConf) {
        this.options = options;
        this.files = files;
        this.schema = schema;
        this.hadoopConf = hadoopConf;
    }

    /** Column pruning: Spark says which columns it needs; the others are never read out of the batches. */
    static final class Builder implements ScanBuilder, SupportsPushDownRequiredColumns {
        private final ReadOptions options;
        private final List<HadoopCaptures.File> files;
        private final Map<String, String> hadoopConf;
        private StructType schema;

        Builder(ReadOptions options, List<HadoopCaptures.File> files, StructType schema, Map<String, String> hadoopConf) {
            this.options = options;
            this.files = files;
            this.schema = schema;
            this.hadoopConf = hadoopConf;
        }

        @Override
        public void pruneColumns(StructType required) {
            schema = required;
        }

        @Override
        public Scan build() {
            return new CaptureScan(options, files, schema, hadoopConf);
        }
    }

    @Override
    public StructType readSchema() {
        return schema;
    }

    @Override
    public String description() {
        return "iotpcap " + options.table() + " of " + files.size() + " capture file(s)"
                + (options.continuous() ? " read as one continuous capture" : "");
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    @Override
    public InputPartition[] planInputPartitions() {
        if (options.continuous()) {
            return new InputPartition[] {new CapturePartition(files, 0, 0)};
        }
        // streams numbered on from file to file, as the CLI numbers a dataset: the counts of the files before
        List<CaptureCounts.Counts> counts = files.size() < 2 ? List.of()
                : CaptureCounts.of(SparkSession.active(), files, false, hadoopConf);
        List<InputPartition> out = new ArrayList<>();
        long tcp = 0;
        long udp = 0;
        for (int i = 0; i < files.size(); i++) {
            out.add(new CapturePartition(List.of(files.get(i)), tcp, udp));
            if (!counts.isEmpty()) {
                tcp += counts.get(i).tcpConnections();
                udp += counts.get(i).udpFlows();
            }
        }
        return out.toArray(new InputPartition[0]);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        List<String> columns = Arrays.stream(schema.fields()).map(StructField::name).toList();
        return new CaptureReaderFactory(options, columns, hadoopConf);
    }
}
