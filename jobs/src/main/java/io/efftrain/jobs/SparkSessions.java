package io.efftrain.jobs;

import io.efftrain.pipeline.config.SparkSettings;
import io.efftrain.pipeline.run.JavaFlags;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Starts (or joins) the Spark session of a job. */
public final class SparkSessions {
    private SparkSessions() {
    }

    /**
     * The session for a job. Settings given at launch (spark-submit's {@code --master} and {@code --conf}) win
     * over the config file's {@code spark.*}, which only fills what is missing.
     */
    public static SparkSession start(String appName, SparkSettings settings) {
        SparkConf conf = new SparkConf();
        conf.setIfMissing("spark.master", settings.master());
        conf.setIfMissing("spark.app.name", appName);
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            conf.setIfMissing(e.getKey(), e.getValue());
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.local.dir", SparkLocalDirs.forThisProcess(
                    java.nio.file.Path.of(System.getProperty("java.io.tmpdir"))).toString());
        }
        // Executors that a cluster manager starts never see our launcher, so they get the Java 17 flags here,
        // in front of any options the user set (memory caps, for example) rather than instead of them.
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains("--add-opens=java.base/java.lang=")) {
            conf.set("spark.executor.extraJavaOptions", (JavaFlags.java17() + " " + executorOptions).trim());
        }
        try {
            return SparkSession.builder().config(conf).getOrCreate();
        } catch (Exception e) {
            // Spark checks the master URL only here; its stack trace would bury which setting was wrong.
            String master = conf.get("spark.master");
            if (String.valueOf(e.getMessage()).contains(master)) {
                throw io.efftrain.pipeline.error.EfftrainException.badConfig("spark.master = " + master
                        + " is not a master URL Spark can use (" + e.getMessage() + "). Use local[N], "
                        + "spark://HOST:PORT, yarn or k8s://URL.");
            }
            if (String.valueOf(e.getMessage()).contains("INVALID_DRIVER_MEMORY")) {
                throw io.efftrain.pipeline.error.EfftrainException.badConfig("the Java heap of "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB is below the 450 MB Spark needs to "
                        + "start. Give the JVM more (EFFTRAIN_JAVA_OPTS=\"-Xmx1g\" for bin/efftrain, "
                        + "--driver-memory for spark-submit); a table larger than the heap still trains, its "
                        + "blocks spill to local disk.");
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("cannot start Spark: " + e.getMessage(), e);
        }
    }
}
