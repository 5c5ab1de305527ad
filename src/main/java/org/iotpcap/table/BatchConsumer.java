package org.iotpcap.table;

/**
 * Takes full batches: the DuckDB loader, the asynchronous hand-off to it, a test's recorder. A consumer calls
 * {@link Batch#release()} once it no longer needs a batch's rows (at once or later, on another thread).
 * Batches of one table arrive in the order their rows were written.
 */
@FunctionalInterface
public interface BatchConsumer {
    void accept(Batch batch);

    /** Called once after the last batch. */
    default void finish() {}
}
