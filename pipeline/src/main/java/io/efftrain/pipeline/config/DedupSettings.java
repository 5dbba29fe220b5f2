package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * Duplicate removal from the training split.
 *
 * @param near also find near duplicates (locality-sensitive hashing), not only identical features
 * @param threshold largest Euclidean distance between two normalised examples that counts as a near duplicate
 * @param bucketLength width of the random-projection buckets (Spark MLlib's BucketedRandomProjectionLSH)
 * @param projectionsPerKey projections combined into one bucket key (AND): more means fewer false candidates
 * @param keys bucket keys per example (OR): more means fewer missed duplicates
 */
public record DedupSettings(boolean near, double threshold, double bucketLength, int projectionsPerKey, int keys)
        implements Serializable {
    static DedupSettings read(ConfigReader c) {
        return new DedupSettings(c.bool("near"), c.positiveDouble("threshold"), c.positiveDouble("bucket-length"),
                c.positiveInt("projections-per-key"), c.positiveInt("keys"));
    }
}
