package io.efftrain.pipeline.config;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How to train.
 *
 * @param batchSize minibatch size per worker
 * @param workers parallel workers, or the cluster's default parallelism when empty
 * @param stepsPerRound local steps each worker takes between two parameter averages
 * @param optimizer the update rule
 * @param schedule the learning-rate schedule over the budget
 * @param warmup the fraction of the budget over which the learning rate rises linearly from zero
 * @param referenceBatch the global batch the learning rate was tuned for; when set, the rate is scaled by
 *     global batch / reference batch (the linear scaling rule)
 * @param budget when to stop
 * @param regularization minibatch regularisers applied on the workers
 * @param weightAveraging EMA or SWA of the weights as the final model
 * @param evaluation evaluation during training and the stopping rules that use it
 * @param checkpointEveryRounds rounds between checkpoints
 * @param progressInterval how often to print progress
 * @param precision the floating-point type of the network's parameters and activations
 * @param freezing layers held fixed for the first part of the budget
 */
public record TrainSettings(int batchSize, OptionalInt workers, int stepsPerRound, OptimizerSettings optimizer,
                            ScheduleType schedule, double warmup, OptionalLong referenceBatch,
                            BudgetSettings budget, RegularizationSettings regularization,
                            WeightAveragingSettings weightAveraging, EvaluationSettings evaluation, int checkpointEveryRounds,
                            Duration progressInterval, Precision precision, FreezingSettings freezing) {
    static TrainSettings read(ConfigReader c) {
        var workers = c.optionalPositiveLong("workers");
        if (workers.isPresent() && workers.getAsLong() > 4096) {
            throw c.invalid("workers", "at most 4096", String.valueOf(workers.getAsLong()));
        }
        return new TrainSettings(c.positiveInt("batch-size"),
                workers.isPresent() ? OptionalInt.of((int) workers.getAsLong()) : OptionalInt.empty(),
                c.positiveInt("steps-per-round"), OptimizerSettings.read(c.at("optimizer")),
                c.choice("schedule", ScheduleType.class), warmup(c), c.optionalPositiveLong("reference-batch"),
                BudgetSettings.read(c.at("budget")), RegularizationSettings.read(c.at("regularization")),
                WeightAveragingSettings.read(c.at("weight-averaging")),
                EvaluationSettings.read(c.at("evaluation")),
                c.positiveInt("checkpoint-every-rounds"),
                c.duration("progress-interval"), c.choice("precision", Precision.class),
                FreezingSettings.read(c.at("freezing")));
    }

    private static double warmup(ConfigReader c) {
        double warmup = c.nonNegativeDouble("warmup");
        if (warmup >= 1) {
            throw c.invalid("warmup", "a fraction of the budget in [0, 1)", String.valueOf(warmup));
        }
        return warmup;
    }
}
