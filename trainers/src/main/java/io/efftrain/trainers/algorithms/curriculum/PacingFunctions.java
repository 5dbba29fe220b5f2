package io.efftrain.trainers.algorithms.curriculum;

import io.efftrain.pipeline.config.Pacing;

/**
 * Curriculum pacing functions (Hacohen and Weinshall, 2019): the share of the data, easiest first, that training
 * may draw from once a fraction {@code used} of the budget is spent. Each grows from {@code start} at the beginning
 * to 1 at {@code fullAt} and stays there.
 */
public final class PacingFunctions {
    private PacingFunctions() {
    }

    public static double share(Pacing pacing, double start, double fullAt, double used) {
        if (pacing == Pacing.NONE || used >= fullAt) {
            return 1;
        }
        double t = Math.max(0, used / fullAt);
        double share = switch (pacing) {
            case LINEAR -> start + (1 - start) * t;
            case ROOT -> start + (1 - start) * Math.sqrt(t);
            case STEP -> start + (1 - start) * Math.floor(3 * t) / 3;
            case EXPONENTIAL -> start * Math.pow(1 / start, t);
            case NONE -> 1;
        };
        return Math.min(1, share);
    }
}
