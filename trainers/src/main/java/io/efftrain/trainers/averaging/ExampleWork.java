package io.efftrain.trainers.averaging;

import io.efftrain.trainers.model.FlopEstimator;
import java.io.Serializable;

/**
 * What the workers computed on the examples of a round, for FLOP accounting: examples trained on (a forward and a
 * backward pass each) and examples only scored by an extra forward pass (selective backprop scores every drawn
 * example at the current parameters and trains on a share of them). Counting drawn examples at the cost of
 * training would overstate a selective method's FLOPs, its FLOP/s and how fast it uses a FLOPs budget.
 *
 * @param trained examples that went through a training step
 * @param scored forward passes over single examples outside the training step
 */
public record ExampleWork(long trained, long scored) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Both rounds' (or workers') work. */
    public ExampleWork plus(ExampleWork other) {
        return new ExampleWork(trained + other.trained, scored + other.scored);
    }

    /** Estimated FLOPs of this work, from the model's training FLOPs per example. */
    public double flops(double trainingFlopsPerExample) {
        return trained * trainingFlopsPerExample
                + scored * trainingFlopsPerExample / FlopEstimator.TRAINING_PER_FORWARD;
    }
}
