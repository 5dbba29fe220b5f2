package io.efftrain.trainers.loop;

import io.efftrain.pipeline.config.ScheduleType;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;
import java.util.List;

/**
 * The knobs of the training loop itself.
 *
 * @param batchSize examples per worker minibatch
 * @param stepsPerRound local steps between averages
 * @param baseLearningRate the schedule's peak
 * @param schedule the learning-rate schedule over the budget
 * @param warmup the fraction of the budget spent warming up
 * @param seed the run seed
 * @param flopsPerExample estimated training FLOPs per example, for FLOP accounting
 * @param workerAlgorithms algorithms shipped to the workers with every round
 */
public record LoopSettings(int batchSize, int stepsPerRound, double baseLearningRate, ScheduleType schedule,
                           double warmup, long seed, double flopsPerExample,
                           List<TrainingAlgorithm<MinibatchState>> workerAlgorithms) {
}
