package io.efftrain.trainers.averaging;

import io.efftrain.trainers.schedule.LearningRatePlan;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import java.io.Serializable;
import java.util.List;

/**
 * What every worker does in one round: {@code steps} minibatches starting at global step {@code firstStep}.
 *
 * @param firstStep the global step the round starts at
 * @param steps minibatches each worker takes
 * @param batchSize examples per minibatch
 * @param learningRates the learning rate of each step
 * @param seed the run seed, from which each worker's shuffle order derives
 * @param workerAlgorithms the algorithms that run at the worker events (BATCH_START, BATCH_END)
 * @param selection the examples to draw from, or null for every example of each block
 */
public record RoundPlan(long firstStep, int steps, int batchSize, LearningRatePlan learningRates, long seed,
                        List<TrainingAlgorithm<MinibatchState>> workerAlgorithms, DataSelection selection)
        implements Serializable {

    /** A plan over every example of each block. */
    public RoundPlan(long firstStep, int steps, int batchSize, LearningRatePlan learningRates, long seed,
                     List<TrainingAlgorithm<MinibatchState>> workerAlgorithms) {
        this(firstStep, steps, batchSize, learningRates, seed, workerAlgorithms, null);
    }
}
