package io.efftrain.pipeline.budget;

import java.io.Serializable;
import java.time.Duration;

/**
 * How far training has come, in every unit a budget can be expressed in. Immutable; the loop replaces it after
 * each averaging round, and checkpoints carry it so a resumed run continues the same counts.
 *
 * @param rounds averaging rounds completed
 * @param steps global optimisation steps (a step is one minibatch on every worker)
 * @param samples training examples processed, summed over workers
 * @param epochs samples divided by the training set size
 * @param elapsed training wall time
 * @param flops estimated floating-point operations spent (forward and backward)
 */
public record TrainingTime(long rounds, long steps, long samples, double epochs, Duration elapsed, double flops)
        implements Serializable {

    /** The start of training. */
    public static TrainingTime zero() {
        return new TrainingTime(0, 0, 0, 0, Duration.ZERO, 0);
    }

    /**
     * The time after one more round.
     *
     * @param roundSteps global steps the round took
     * @param roundSamples examples the round processed
     * @param datasetSize examples in one epoch
     * @param nowElapsed training wall time at the end of the round
     * @param roundFlops estimated FLOPs the round spent
     */
    public TrainingTime plusRound(long roundSteps, long roundSamples, long datasetSize, Duration nowElapsed,
                                  double roundFlops) {
        return plusRound(roundSteps, roundSamples, (double) (samples + roundSamples) / datasetSize, nowElapsed,
                roundFlops);
    }

    /**
     * The time after one more round, when epochs are not samples over the data set size (dynamic pruning: an
     * epoch is one pass over the examples selected for it, however many that are).
     *
     * @param newEpochs the epochs completed at the end of the round
     */
    public TrainingTime plusRound(long roundSteps, long roundSamples, double newEpochs, Duration nowElapsed,
                                  double roundFlops) {
        return new TrainingTime(rounds + 1, steps + roundSteps, samples + roundSamples, newEpochs, nowElapsed,
                flops + roundFlops);
    }
}
