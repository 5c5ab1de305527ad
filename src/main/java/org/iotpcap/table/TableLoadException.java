package org.iotpcap.table;

/** A consumer of batches failed (the database refused rows, the disk is full): the cause says why. */
public final class TableLoadException extends RuntimeException {
    public TableLoadException(Throwable cause) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
    }
}
