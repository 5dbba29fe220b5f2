package io.efftrain.pipeline.testing;

import org.apache.spark.sql.SparkSession;

/**
 * One real local Spark session per test JVM, with two task slots (two workers), shared by the test classes of a
 * module because starting Spark costs seconds.
 */
public final class LocalSpark {
    private LocalSpark() {
    }

    public static synchronized SparkSession session() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("efftrain-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
