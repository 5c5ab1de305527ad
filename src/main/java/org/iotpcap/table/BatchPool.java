package org.iotpcap.table;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The batches of one table: made on demand up to a bound, then reused once their consumer releases them.
 * {@link #take()} waits for a release when all of them are in flight.
 */
final class BatchPool {
    private final TableDeclaration table;
    private final int capacity;
    private final int max;
    private final boolean[] kept;
    private final BlockingQueue<Batch> free;
    private int made;

    /** @param kept by stored slot, the columns the batches hold (see {@link Batch}) */
    BatchPool(TableDeclaration table, int capacity, int max, boolean[] kept) {
        if (max < 1) {
            throw new IllegalArgumentException("pool " + max);
        }
        this.table = table;
        this.capacity = capacity;
        this.max = max;
        this.kept = kept.clone();
        this.free = new ArrayBlockingQueue<>(max);
    }

    Batch take() {
        Batch b = free.poll();
        if (b != null) {
            return b;
        }
        if (made < max) {
            made++;
            Batch n = new Batch(table, capacity, kept);
            n.recycler(() -> free.add(n));
            return n;
        }
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch of " + table.name(), e);
        }
    }
}
