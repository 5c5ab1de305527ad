package org.iotpcap.spark;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One iotpcap table over a set of captures, readable in batch. */
final class CaptureTable implements SupportsRead {
    private final ReadOptions options;
    private final List<HadoopCaptures.File> files;
    private final Map<String, String> hadoopConf;

    CaptureTable(ReadOptions options, List<HadoopCaptures.File> files, Map<String, String> hadoopConf) {
        this.options = options;
        this.files = files;
        this.hadoopConf = hadoopConf;
    }

    @Override
    public String name() {
        return options.table();
    }

    @Override
    @SuppressWarnings("deprecation")
    public StructType schema() {
        return SparkTypes.schema(options.declaration());
    }

    @Override
    public Set<TableCapability> capabilities() {
        return EnumSet.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        return new CaptureScan.Builder(options, files, schema(), hadoopConf);
    }
}
