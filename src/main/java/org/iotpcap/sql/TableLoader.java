package org.iotpcap.sql;

import org.iotpcap.table.BatchConsumer;

/** Takes a load's batches into the database's tables ({@link ArrowStreams}, {@link ArrowLoader}). */
interface TableLoader extends BatchConsumer, AutoCloseable {
    @Override
    void close();
}
