package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.trainers.averaging.EvaluationCounts;
import java.io.Serializable;

/**
 * One evaluation during training.
 *
 * @param time the training time when the model was evaluated
 * @param counts what the evaluation counted
 */
public record EvaluationPoint(TrainingTime time, EvaluationCounts counts) implements Serializable {
    /** Fraction correct. */
    public double accuracy() {
        return counts.accuracy();
    }

    /** Mean cross-entropy. */
    public double loss() {
        return counts.meanLoss();
    }
}
