package io.efftrain.trainers.schedule;

import io.efftrain.pipeline.config.ScheduleType;

/**
 * Learning-rate schedules as pure functions of the fraction of the budget used, in [0, 1]. Every schedule but
 * constant and step reaches zero exactly at the end of the budget, which is what budgeted training asks for.
 */
public final class Schedules {
    private static final double ONE_CYCLE_RISE = 0.3;
    private static final double ONE_CYCLE_START = 1.0 / 25;

    private Schedules() {
    }

    /** The multiplier of the base learning rate at budget fraction {@code used}. */
    public static double factor(ScheduleType schedule, double used) {
        double p = clamp(used);
        return switch (schedule) {
            case CONSTANT -> 1.0;
            case STEP -> p < 0.5 ? 1.0 : p < 0.75 ? 0.1 : 0.01;
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * p));
            case LINEAR_TO_ZERO -> 1.0 - p;
            case REX -> (1.0 - p) / (1.0 - p / 2);
            case ONE_CYCLE -> p < ONE_CYCLE_RISE
                    ? ONE_CYCLE_START + (1 - ONE_CYCLE_START) * p / ONE_CYCLE_RISE
                    : 0.5 * (1 + Math.cos(Math.PI * (p - ONE_CYCLE_RISE) / (1 - ONE_CYCLE_RISE)));
        };
    }

    /**
     * The multiplier with a linear warm-up over the first {@code warmup} fraction of the budget: from zero to the
     * schedule's start, after which the schedule runs over the rest of the budget (Goyal et al., 2017).
     */
    public static double factor(ScheduleType schedule, double warmup, double used) {
        double p = clamp(used);
        if (warmup <= 0) {
            return factor(schedule, p);
        }
        if (p < warmup) {
            return factor(schedule, 0) * p / warmup;
        }
        return factor(schedule, (p - warmup) / (1 - warmup));
    }

    /**
     * The linear scaling rule (Goyal et al., 2017): a learning rate tuned for {@code referenceBatch} examples per
     * step, scaled in proportion to the global batch actually used.
     */
    public static double linearScaling(double rate, long referenceBatch, long globalBatch) {
        return rate * globalBatch / referenceBatch;
    }

    private static double clamp(double used) {
        return Math.max(0, Math.min(1, used));
    }
}
