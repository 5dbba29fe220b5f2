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
 * @param explodedLoss a round mean loss above which training counts as diverging (infinite: only NaN and
 *     infinite losses do)
 * @param frozenBackwardFlopsPerExample the backward FLOPs per example a step with frozen leading layers skips
 */
public record LoopSettings(int batchSize, int stepsPerRound, double baseLearningRate, ScheduleType schedule,
                           double warmup, long seed, double flopsPerExample,
                           List<TrainingAlgorithm<MinibatchState>> workerAlgorithms, double explodedLoss,
                           double frozenBackwardFlopsPerExample) {

    /** Settings whose steps never skip a backward pass. */
    public LoopSettings(int batchSize, int stepsPerRound, double baseLearningRate, ScheduleType schedule,
                        double warmup, long seed, double flopsPerExample,
                        List<TrainingAlgorithm<MinibatchState>> workerAlgorithms, double explodedLoss) {
        this(batchSize, stepsPerRound, baseLearningRate, schedule, warmup, seed, flopsPerExample, workerAlgorithms,
                explodedLoss, 0);
    }

    /** Settings that count only NaN and infinite losses as divergence. */
    public LoopSettings(int batchSize, int stepsPerRound, double baseLearningRate, ScheduleType schedule,
                        double warmup, long seed, double flopsPerExample,
                        List<TrainingAlgorithm<MinibatchState>> workerAlgorithms) {
        this(batchSize, stepsPerRound, baseLearningRate, schedule, warmup, seed, flopsPerExample, workerAlgorithms,
                Double.POSITIVE_INFINITY);
    }

    /**
     * The exploded-loss threshold of a {@code classes}-way classifier: three times the cross-entropy of a uniform
     * guess, ln(classes). An untrained network starts near ln(classes) and training only lowers it; a round mean
     * far above it (Adam at rate 1e4 gave 16 to 25 on 10 classes) is a run that is not learning. 0 classes: off.
     */
    public static double explodedLoss(int classes) {
        return classes >= 2 ? 3 * Math.log(classes) : Double.POSITIVE_INFINITY;
    }
}
