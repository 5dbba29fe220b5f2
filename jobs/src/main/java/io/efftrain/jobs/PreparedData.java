package io.efftrain.jobs;

import io.efftrain.trainers.model.InputShape;
import java.util.Map;

/**
 * What the prepare stage produced.
 *
 * @param tablePath the canonical Parquet table (partitioned by split)
 * @param shape the shape of one example
 * @param countsBySplit examples per split
 * @param countsByClass examples per split and class
 * @param fingerprints size and SHA-256 of each source file
 */
public record PreparedData(String tablePath, InputShape shape, Map<String, Long> countsBySplit,
                           Map<String, Map<Integer, Long>> countsByClass,
                           Map<String, Map<String, Object>> fingerprints) {
}
