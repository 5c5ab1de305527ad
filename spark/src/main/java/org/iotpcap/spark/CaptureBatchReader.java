package org.iotpcap.spark;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Limits;
import org.iotpcap.capture.CaptureFiles;
import org.iotpcap.capture.CaptureReader;
import org.iotpcap.capture.CaptureRecord;
import org.iotpcap.capture.Captures;
import org.iotpcap.capture.MergingCaptureReader;
import org.iotpcap.pipeline.Pipeline;
import org.iotpcap.table.Batch;
import org.iotpcap.table.BatchConsumer;
import org.iotpcap.table.Column;
import org.iotpcap.table.Projection;
import org.iotpcap.table.TableDeclaration;
import org.iotpcap.table.TableSink;

/**
 * Reads one partition: the {@link Pipeline} runs over its capture (or continuous set) on a thread of its own,
 * writing only the wanted table, and its full batches come out here as {@link ColumnarBatch}es over the same
 * arrays ({@link BatchColumnVector}). A batch goes back to its writer when Spark asks for the next one, so at
 * most {@link TableSink#DEFAULT_POOL} batches are in flight: memory per task is bounded whatever the capture's size.
 * With a time window ({@link WindowFilter}) Spark sees only the rows it keeps, through a row map; for a table
 * the window narrows by frames, a first pass over the frames table finds the window's frames.
 */
final class CaptureBatchReader implements PartitionReader<ColumnarBatch> {
    /** Marks the end of the pass. */
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(TableSink.DEFAULT_POOL + 2);
    private final BatchColumnVector[] vectors;
    private final ColumnarBatch columnar;
    private final Thread pass;
    private final WindowFilter window;
    private int[] kept = new int[0];
    private Batch current;
    private boolean done;

    /** A failure of the pass, handed to the task's thread. */
    private record Failure(Throwable cause) {}

    CaptureBatchReader(CapturePartition partition, ReadOptions options, List<Column> columns, CaptureFiles files) {
        TableDeclaration table = options.declaration();
        vectors = new BatchColumnVector[columns.size()];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new BatchColumnVector(columns.get(i));
        }
        columnar = new ColumnarBatch((ColumnVector[]) vectors);
        List<String> names = partition.files().stream().map(HadoopCaptures.File::name).toList();
        window = WindowFilter.of(options);
        BatchConsumer toSpark = this::put;
        // the sink fills only this table (the others drop their rows) and of it only the columns Spark reads and the
        // window's: the pass does not make the values of pruned columns
        List<Column> wanted = new java.util.ArrayList<>(columns);
        if (window != null) {
            wanted.addAll(window.columns());
        }
        Projection projection = Projection.of(table, wanted);
        pass = new Thread(() -> {
            try {
                if (window != null && window.needsFrames()) {
                    frames(names, files, options, window);
                }
                try (TableSink sink = new TableSink(toSpark, projection)) {
                    pass(partition, names, files, options, sink);
                }
            } catch (Throwable t) {
                queue.clear();
                queue.offer(new Failure(t)); // never blocks: the queue was just emptied
                return;
            }
            put(END);
        }, "iotpcap-pass " + names.get(0));
        pass.setDaemon(true);
        pass.start();
    }

    /**
     * The time of every frame, for a window that narrows tables by frame number: the capture records alone, as the
     * frames table has them (its frame and time_ns are each record's number and timestamp), without decoding.
     */
    private static void frames(List<String> names, CaptureFiles files, ReadOptions options, WindowFilter window)
            throws IOException {
        Limits limits = options.pipeline().limits();
        try (CaptureReader reader = names.size() == 1
                ? Captures.open(files.open(names.get(0)), Diagnostics.IGNORE, limits)
                : MergingCaptureReader.open(names, files, Diagnostics.IGNORE, limits)) {
            CaptureRecord rec = new CaptureRecord();
            while (reader.next(rec)) {
                window.frame(rec.frameNumber(), rec.timestampNanos());
            }
        }
    }

    private static void pass(CapturePartition partition, List<String> names, CaptureFiles files, ReadOptions options,
                             TableSink sink) throws IOException {
        if (names.size() == 1) {
            Pipeline.run(names.get(0), files, options.pipeline(), sink, partition.tcpOffset(), partition.udpOffset());
        } else {
            Pipeline.runContinuous(names, files, options.pipeline(), sink);
        }
    }

    private void put(Object o) {
        try {
            queue.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the task was stopped", e);
        }
    }

    @Override
    public boolean next() throws IOException {
        while (take()) {
            if (window == null) {
                for (BatchColumnVector v : vectors) {
                    v.point(current, null, 0);
                }
                columnar.setNumRows(current.rows());
                return true;
            }
            int n = 0;
            if (kept.length < current.rows()) {
                kept = new int[current.capacity()];
            }
            for (int r = 0; r < current.rows(); r++) {
                if (window.keep(current, r)) {
                    kept[n++] = r;
                }
            }
            if (n > 0) {
                for (BatchColumnVector v : vectors) {
                    v.point(current, kept, n);
                }
                columnar.setNumRows(n);
                return true;
            }
        }
        return false;
    }

    /** The next batch of the pass as {@link #current}; false at its end. */
    private boolean take() throws IOException {
        giveBack();
        if (done) {
            return false;
        }
        Object o;
        try {
            o = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading a capture", e);
        }
        if (o == END) {
            done = true;
            return false;
        }
        if (o instanceof Failure f) {
            done = true;
            if (f.cause() instanceof IOException io) {
                throw io;
            }
            if (f.cause() instanceof Error e) {
                throw e;
            }
            throw new IOException(f.cause().getMessage(), f.cause());
        }
        current = (Batch) o;
        return true;
    }

    @Override
    public ColumnarBatch get() {
        return columnar;
    }

    private void giveBack() {
        if (current != null) {
            Batch b = current;
            current = null;
            b.release();
        }
    }

    /** Stops the pass (a task may end before its reader is exhausted, e.g. under a LIMIT). */
    @Override
    public void close() {
        giveBack();
        if (!done) {
            done = true;
            pass.interrupt();
            Object o;
            while ((o = queue.poll()) != null) {
                if (o instanceof Batch b) {
                    b.release();
                }
            }
        }
    }
}
