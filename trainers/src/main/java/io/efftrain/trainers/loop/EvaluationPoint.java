package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.TrainingTime;
import java.io.Serializable;

/**
 * One evaluation during training.
 *
 * @param time the training time when the model was evaluated
 * @param accuracy fraction correct on the evaluation blocks
 * @param loss mean cross-entropy on them
 */
public record EvaluationPoint(TrainingTime time, double accuracy, double loss) implements Serializable {
}
