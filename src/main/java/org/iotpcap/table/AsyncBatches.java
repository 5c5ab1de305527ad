package org.iotpcap.table;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands batches to another thread, which gives them to a target consumer (the DuckDB loader), so that decoding and
 * loading use two cores. The queue holds at most what the writers' pools let be in flight, so memory stays
 * bounded and a slow target slows the producer down. Batches reach the target in the order they were handed on.
 *
 * <p>A failure of the target is rethrown (unchecked, with its message) by the next {@link #accept} or by
 * {@link #finish()}; batches after a failure are released unread.
 */
public final class AsyncBatches implements BatchConsumer {

    private final BatchConsumer target;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Throwable failure;
    private boolean finished;

    public AsyncBatches(BatchConsumer target, String threadName) {
        this.target = target;
        this.thread = new Thread(this::drain, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void accept(Batch batch) {
        check();
        queue.add(batch);
    }

    private void drain() {
        try {
            while (true) {
                Object o = queue.take();
                if (o == Boolean.FALSE) {
                    if (failure == null) {
                        target.finish();
                    }
                    return;
                }
                Batch b = (Batch) o;
                if (failure == null) {
                    try {
                        target.accept(b);
                    } catch (Throwable t) {
                        failure = t;
                        b.release();
                    }
                } else {
                    b.release();
                }
            }
        } catch (InterruptedException e) {
            failure = e;
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void check() {
        Throwable t = failure;
        if (t != null) {
            if (t instanceof Error e) {
                throw e;
            }
            throw new TableLoadException(t);
        }
    }

    /** Waits for every batch to be written and the target to finish; rethrows its failure. */
    @Override
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        queue.add(Boolean.FALSE);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the table loader", e);
        }
        check();
    }
}
