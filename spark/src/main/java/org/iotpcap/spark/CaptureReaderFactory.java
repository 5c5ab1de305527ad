package org.iotpcap.spark;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.iotpcap.table.Column;

/**
 * Makes the readers of the tasks, on the executors: columnar ({@link CaptureBatchReader}), and rows over the
 * same batches where Spark asks for rows. Carries the options, the columns Spark wants (after pruning) and the
 * driver's Hadoop configuration, to open the files where the task runs.
 */
record CaptureReaderFactory(ReadOptions options, List<String> columns, Map<String, String> hadoopConf)
        implements PartitionReaderFactory {

    private CaptureBatchReader reader(InputPartition p) {
        CapturePartition partition = (CapturePartition) p;
        List<Column> cols = columns.stream().map(n -> options.declaration().column(n)).toList();
        return new CaptureBatchReader(partition, options, cols, HadoopCaptures.opener(partition.files(), hadoopConf));
    }

    @Override
    public boolean supportColumnarReads(InputPartition partition) {
        return true;
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
        return reader(partition);
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        CaptureBatchReader batches = reader(partition);
        return new PartitionReader<>() {
            private java.util.Iterator<InternalRow> rows = java.util.Collections.emptyIterator();

            @Override
            public boolean next() throws IOException {
                while (!rows.hasNext()) {
                    if (!batches.next()) {
                        return false;
                    }
                    rows = batches.get().rowIterator();
                }
                return true;
            }

            @Override
            public InternalRow get() {
                return rows.next();
            }

            @Override
            public void close() {
                batches.close();
            }
        };
    }
}
