package io.efftrain.pipeline.config;

import java.util.Map;

/**
 * How to reach Spark when efftrain starts it itself.
 *
 * @param master the master URL used when not launched by spark-submit
 * @param conf Spark properties, passed through unchanged
 */
public record SparkSettings(String master, Map<String, String> conf) {
    static SparkSettings read(ConfigReader c) {
        return new SparkSettings(c.string("master"), Map.copyOf(c.passThroughMap("conf")));
    }
}
