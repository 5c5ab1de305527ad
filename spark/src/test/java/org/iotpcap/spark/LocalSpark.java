package org.iotpcap.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The test classes' Spark: local mode with two executor threads, so a read of several files runs several
 * partitions at once; no UI. One session per test class ({@code @BeforeAll}/{@code @AfterAll}).
 */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start() {
        return SparkSession.builder().master("local[2]").appName("iotpcap-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.warehouse.dir", "target/spark-warehouse")
                .getOrCreate();
    }
}
