package io.efftrain.datasets.preprocess;

import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureEncoding;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * What prepare needs to know of the rows it writes, gathered while the write passes over them, so neither costs
 * a pass of its own: examples per split and label, and the training split's per-feature moments. Spark merges a
 * result task's updates once, when its partition first succeeds, so a retried or speculative write task does not
 * count its rows twice; use it only in the final stage of a job.
 */
public final class WrittenRowsAccumulator extends AccumulatorV2<WrittenRowsAccumulator.WrittenRow,
        WrittenRowsAccumulator.Summary> {
    private static final long serialVersionUID = 1L;
    private final FeatureEncoding encoding;
    private final int featureSize;
    private Summary summary;

    /** One written row: its split, label and encoded features. */
    public record WrittenRow(String split, int label, byte[] features) {
    }

    /**
     * @param counts examples per split and label
     * @param trainMoments per-feature moments of the {@code train} split
     */
    public record Summary(Map<String, Map<Integer, Long>> counts, FeatureStatistics.Moments trainMoments)
            implements Serializable {
        /** Examples per split. */
        public Map<String, Long> countsBySplit() {
            Map<String, Long> out = new TreeMap<>();
            counts.forEach((split, byLabel) -> out.put(split, byLabel.values().stream().mapToLong(Long::longValue)
                    .sum()));
            return out;
        }

        void merge(Summary other) {
            other.counts.forEach((split, byLabel) -> byLabel.forEach((label, n) ->
                    counts.computeIfAbsent(split, k -> new TreeMap<>()).merge(label, n, Long::sum)));
            trainMoments.merge(other.trainMoments);
        }
    }

    public WrittenRowsAccumulator(FeatureEncoding encoding, int featureSize) {
        this.encoding = encoding;
        this.featureSize = featureSize;
        reset();
    }

    @Override
    public boolean isZero() {
        return summary.counts.isEmpty();
    }

    @Override
    public WrittenRowsAccumulator copy() {
        WrittenRowsAccumulator copy = new WrittenRowsAccumulator(encoding, featureSize);
        copy.summary.merge(summary);
        return copy;
    }

    @Override
    public void reset() {
        summary = new Summary(new TreeMap<>(), new FeatureStatistics.Moments(featureSize));
    }

    @Override
    public void add(WrittenRow row) {
        summary.counts.computeIfAbsent(row.split(), k -> new TreeMap<>()).merge(row.label(), 1L, Long::sum);
        if (StratifiedSplit.TRAIN.equals(row.split())) {
            summary.trainMoments.addEncoded(row.features(), encoding);
        }
    }

    @Override
    public void merge(AccumulatorV2<WrittenRow, Summary> other) {
        summary.merge(other.value());
    }

    @Override
    public Summary value() {
        return summary;
    }

    /** The normalisation the training split's moments give; fails with a clear error when it had no example. */
    public NormalizationModel normalization(NormalizationType mode) {
        return FeatureStatisticsEstimator.fitted(mode, encoding, summary.trainMoments);
    }
}
