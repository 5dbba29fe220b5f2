package io.efftrain.datasets.preprocess;

import java.io.Serializable;

/**
 * Per-feature statistics of a split, computed by Spark ({@link FeatureStatisticsEstimator}) and kept in the
 * table manifest.
 *
 * @param count examples seen
 * @param mean per feature
 * @param std per feature (population standard deviation)
 * @param min per feature
 * @param max per feature
 */
public record FeatureStatistics(long count, double[] mean, double[] std, double[] min, double[] max)
        implements Serializable {
    /** Running sums that merge across partitions. */
    public static final class Moments implements Serializable {
        private static final long serialVersionUID = 1L;
        long count;
        final double[] sum;
        final double[] sumSquares;
        final double[] min;
        final double[] max;

        Moments(int features) {
            sum = new double[features];
            sumSquares = new double[features];
            min = new double[features];
            max = new double[features];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        }

        /** Adds one example as stored in the table, without an intermediate float array. */
        Moments addEncoded(byte[] bytes, io.efftrain.pipeline.data.FeatureEncoding encoding) {
            count++;
            for (int j = 0; j < sum.length; j++) {
                double v = encoding.decode(bytes, 0, j);
                sum[j] += v;
                sumSquares[j] += v * v;
                min[j] = Math.min(min[j], v);
                max[j] = Math.max(max[j], v);
            }
            return this;
        }

        Moments merge(Moments other) {
            count += other.count;
            for (int j = 0; j < sum.length; j++) {
                sum[j] += other.sum[j];
                sumSquares[j] += other.sumSquares[j];
                min[j] = Math.min(min[j], other.min[j]);
                max[j] = Math.max(max[j], other.max[j]);
            }
            return this;
        }

        FeatureStatistics statistics() {
            int n = sum.length;
            double[] mean = new double[n];
            double[] std = new double[n];
            for (int j = 0; j < n; j++) {
                mean[j] = sum[j] / count;
                std[j] = Math.sqrt(Math.max(0, sumSquares[j] / count - mean[j] * mean[j]));
            }
            return new FeatureStatistics(count, mean, std, min.clone(), max.clone());
        }
    }
}
