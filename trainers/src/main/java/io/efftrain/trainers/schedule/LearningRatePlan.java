package io.efftrain.trainers.schedule;

import io.efftrain.pipeline.config.ScheduleType;
import java.io.Serializable;

/**
 * The learning rate at every global step of a round, fixed by the driver at the round's start and shipped to the
 * workers: a schedule over the fraction of the budget used, where that fraction is step / estimated total steps.
 * The step is the global one, carried across rounds and restarts, so the schedule never restarts with a round.
 *
 * @param baseRate the peak learning rate
 * @param schedule the shape of the schedule
 * @param warmup the fraction of the budget spent warming up linearly from zero
 * @param totalSteps the budget's estimated total steps (re-estimated each round for wall-clock budgets)
 */
public record LearningRatePlan(double baseRate, ScheduleType schedule, double warmup, long totalSteps) implements Serializable {

    /**
     * The learning rate for global step {@code step}. The warm-up ramps to the fraction reached at the step's end,
     * so its first step trains at a small rate rather than at zero; with no estimate of the total at all, the
     * schedule's starting rate is used, never zero.
     */
    public double rate(long step) {
        if (totalSteps == Long.MAX_VALUE) {
            return baseRate * Schedules.factor(schedule, 0);
        }
        double used = budgetUsed(step);
        return baseRate * Schedules.factor(schedule, warmup, used < warmup ? budgetUsed(step + 1) : used);
    }

    /** The fraction of the budget used at global step {@code step}, as the schedule sees it. */
    public double budgetUsed(long step) {
        return totalSteps == Long.MAX_VALUE ? 0 : Math.min(1.0, (double) step / totalSteps);
    }
}
