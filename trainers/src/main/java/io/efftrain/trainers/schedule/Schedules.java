package io.efftrain.trainers.schedule;

import io.efftrain.pipeline.config.ScheduleType;

/** Learning-rate schedules as pure functions of the fraction of the budget used, in [0, 1]. */
public final class Schedules {
    private Schedules() {
    }

    /** The multiplier of the base learning rate at budget fraction {@code used}. */
    public static double factor(ScheduleType schedule, double used) {
        double p = Math.max(0, Math.min(1, used));
        return switch (schedule) {
            case CONSTANT -> 1.0;
            case LINEAR_TO_ZERO -> 1.0 - p;
        };
    }
}
