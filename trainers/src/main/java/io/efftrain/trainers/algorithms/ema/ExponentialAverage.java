package io.efftrain.trainers.algorithms.ema;

/** The exponential moving average of weights, as a pure function. */
public final class ExponentialAverage {
    private ExponentialAverage() {
    }

    /**
     * Moves {@code average} towards {@code weights} after {@code steps} optimisation steps with per-step decay
     * {@code decay}: average = d^steps average + (1 - d^steps) weights, in place.
     */
    public static void update(float[] average, float[] weights, double decay, int steps) {
        float keep = (float) Math.pow(decay, steps);
        float take = 1 - keep;
        for (int i = 0; i < average.length; i++) {
            average[i] = keep * average[i] + take * weights[i];
        }
    }
}
