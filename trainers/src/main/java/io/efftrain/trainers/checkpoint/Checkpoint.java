package io.efftrain.trainers.checkpoint;

import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.loop.EvaluationPoint;
import io.efftrain.trainers.loop.TrainingState;
import java.io.Serializable;
import java.util.List;

/**
 * Everything needed to continue training exactly where it stopped: the averaged model with its updater state
 * and iteration count, the training time (rounds, steps, samples, elapsed), and every algorithm's state. The
 * shuffle order needs nothing: it is a pure function of seed, worker and epoch.
 *
 * @param model the averaged model after the last completed round
 * @param time the training time at that point
 * @param algorithms the training algorithms, with their state
 * @param evaluations the evaluations so far
 */
public record Checkpoint(ParameterState model, TrainingTime time, List<TrainingAlgorithm<TrainingState>> algorithms,
                         List<EvaluationPoint> evaluations) implements Serializable {
    private static final long serialVersionUID = 1L;
}
