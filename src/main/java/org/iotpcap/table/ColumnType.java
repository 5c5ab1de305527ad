package org.iotpcap.table;

/** The SQL type of a column, as DuckDB names it; Arrow and Spark types follow from it. */
public enum ColumnType {
    BIGINT, INTEGER, TINYINT, DOUBLE, BOOLEAN, VARCHAR, BLOB,
    /** Generated from a {@code *_ns} column: nanoseconds since the epoch as a UTC timestamp, never stored. */
    TIMESTAMP_NS
}
