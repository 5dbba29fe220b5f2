package io.efftrain.pipeline.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * How to train.
 *
 * @param batchSize minibatch size per worker
 * @param workers parallel workers, or the cluster's default parallelism when empty
 * @param stepsPerRound local steps each worker takes between two parameter averages
 * @param optimizer the update rule
 * @param schedule the learning-rate schedule over the budget
 * @param budget when to stop
 * @param progressInterval how often to print progress
 */
public record TrainSettings(int batchSize, OptionalInt workers, int stepsPerRound, OptimizerSettings optimizer,
                            ScheduleType schedule, BudgetSettings budget, Duration progressInterval) {
    static TrainSettings read(ConfigReader c) {
        var workers = c.optionalPositiveLong("workers");
        if (workers.isPresent() && workers.getAsLong() > 4096) {
            throw c.invalid("workers", "at most 4096", String.valueOf(workers.getAsLong()));
        }
        return new TrainSettings(c.positiveInt("batch-size"),
                workers.isPresent() ? OptionalInt.of((int) workers.getAsLong()) : OptionalInt.empty(),
                c.positiveInt("steps-per-round"), OptimizerSettings.read(c.at("optimizer")),
                c.choice("schedule", ScheduleType.class), BudgetSettings.read(c.at("budget")),
                c.duration("progress-interval"));
    }
}
