package io.efftrain.trainers.algorithms.swa;

/** An equal-weight running mean of weight vectors, as a pure function. */
public final class RunningMean {
    private RunningMean() {
    }

    /** Adds {@code weights} as the {@code count}-th sample (1-based) to {@code mean}, in place. */
    public static void add(float[] mean, float[] weights, long count) {
        float w = 1f / count;
        for (int i = 0; i < mean.length; i++) {
            mean[i] += (weights[i] - mean[i]) * w;
        }
    }
}
