package org.iotpcap.sql;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.iotpcap.semantic.ModelSink;
import org.iotpcap.semantic.Table;

/**
 * Hands the model's rows to another thread, which writes them to a target {@link ModelSink} (the DuckDB
 * {@link TableWriter}), so that decoding and appending use two cores.
 *
 * <p>Rows travel in batches of {@value #BATCH_ROWS} through a bounded ring ({@value #RING} batches in flight,
 * recycled): memory stays bounded and a slow writer slows the decoder down rather than queueing without end.
 * Every table receives its rows in the order they were produced, so the tables are identical to those the
 * single-threaded path writes (the frames of a batch are replayed before its other rows; no table receives
 * both kinds). Frame rows are stored in primitive columns, so a frame costs no boxing on either side.
 *
 * <p>A failure of the writer thread is rethrown (unchecked) by the next {@link #row}, {@link #frame} or
 * {@link #close} call. Not thread-safe on the producing side: one producer.
 */
public final class AsyncModelSink implements ModelSink, AutoCloseable {
    static final int BATCH_ROWS = 4096;
    static final int RING = 4;

    private final ModelSink target;
    private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(RING);
    private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(RING + 1);
    private final Thread thread;
    private volatile Throwable failure;
    private Batch current;
    private boolean closed;

    private final int batchRows;

    public AsyncModelSink(ModelSink target) {
        this(target, BATCH_ROWS);
    }

    /** With batches of {@code batchRows} rows (at most {@value #BATCH_ROWS}); small batches are for tests. */
    AsyncModelSink(ModelSink target, int batchRows) {
        if (batchRows < 1 || batchRows > BATCH_ROWS) {
            throw new IllegalArgumentException("batch rows " + batchRows);
        }
        this.target = target;
        this.batchRows = batchRows;
        for (int i = 0; i < RING; i++) {
            free.add(new Batch());
        }
        current = new Batch();
        thread = new Thread(this::drain, "iotpcap-table-writer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void row(Table table, Object... values) {
        Batch b = current;
        b.tables[b.rows] = table;
        b.values[b.rows] = values;
        if (++b.rows == batchRows) {
            handOff();
        }
    }

    @Override
    public void frame(long frame, long nanos, int iface, int capLen, long len, int ipVersion, String src, String dst,
                      String transport, int srcPort, int dstPort, long stream, String protocol) {
        Batch b = current;
        int i = b.frames;
        b.frame[i] = frame;
        b.nanos[i] = nanos;
        b.iface[i] = iface;
        b.capLen[i] = capLen;
        b.len[i] = len;
        b.ipVersion[i] = ipVersion;
        b.src[i] = src;
        b.dst[i] = dst;
        b.transport[i] = transport;
        b.srcPort[i] = srcPort;
        b.dstPort[i] = dstPort;
        b.stream[i] = stream;
        b.protocol[i] = protocol;
        if (++b.frames == batchRows) {
            handOff();
        }
    }

    private void handOff() {
        checkFailure();
        try {
            full.put(current);
            current = free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing rows to the table writer", e);
        }
        checkFailure();
    }

    private void checkFailure() {
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("table writer failed: " + t.getMessage(), t);
        }
    }

    private void drain() {
        try {
            while (true) {
                Batch b = full.take();
                if (failure == null) {
                    try {
                        b.replay(target);
                    } catch (Throwable t) {
                        failure = t;
                    }
                }
                boolean last = b.last;
                b.clear();
                if (last) {
                    return;
                }
                free.put(b);
            }
        } catch (InterruptedException e) {
            failure = e;
        }
    }

    /** Writes what is left, waits for the writer thread and rethrows its failure, if any. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        current.last = true;
        try {
            full.put(current);
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the table writer", e);
        }
        checkFailure();
    }

    private static final class Batch {
        int frames;
        final long[] frame = new long[BATCH_ROWS];
        final long[] nanos = new long[BATCH_ROWS];
        final int[] iface = new int[BATCH_ROWS];
        final int[] capLen = new int[BATCH_ROWS];
        final long[] len = new long[BATCH_ROWS];
        final int[] ipVersion = new int[BATCH_ROWS];
        final String[] src = new String[BATCH_ROWS];
        final String[] dst = new String[BATCH_ROWS];
        final String[] transport = new String[BATCH_ROWS];
        final int[] srcPort = new int[BATCH_ROWS];
        final int[] dstPort = new int[BATCH_ROWS];
        final long[] stream = new long[BATCH_ROWS];
        final String[] protocol = new String[BATCH_ROWS];
        int rows;
        final Table[] tables = new Table[BATCH_ROWS];
        final Object[][] values = new Object[BATCH_ROWS][];
        boolean last;

        void replay(ModelSink t) {
            for (int i = 0; i < frames; i++) {
                t.frame(frame[i], nanos[i], iface[i], capLen[i], len[i], ipVersion[i], src[i], dst[i], transport[i],
                        srcPort[i], dstPort[i], stream[i], protocol[i]);
            }
            for (int i = 0; i < rows; i++) {
                t.row(tables[i], values[i]);
            }
        }

        void clear() {
            java.util.Arrays.fill(src, 0, frames, null);
            java.util.Arrays.fill(dst, 0, frames, null);
            java.util.Arrays.fill(transport, 0, frames, null);
            java.util.Arrays.fill(protocol, 0, frames, null);
            java.util.Arrays.fill(tables, 0, rows, null);
            java.util.Arrays.fill(values, 0, rows, null);
            frames = 0;
            rows = 0;
            last = false;
        }
    }
}
