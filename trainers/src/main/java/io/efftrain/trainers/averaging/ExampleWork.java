package io.efftrain.trainers.averaging;

import io.efftrain.trainers.model.FlopEstimator;
import java.io.Serializable;

/**
 * What the workers computed on the examples of a round, for FLOP accounting: examples trained on (a forward and a
 * backward pass each), examples only scored by an extra forward pass (selective backprop scores every drawn
 * example at the current parameters and trains on a share of them), and trained examples whose step skipped the
 * backward pass of frozen leading layers. Counting drawn examples at the cost of training would overstate a
 * selective method's FLOPs, its FLOP/s and how fast it uses a FLOPs budget; counting a frozen step at full cost
 * would hide what freezing saves.
 *
 * @param trained examples that went through a training step
 * @param scored forward passes over single examples outside the training step
 * @param frozen of the trained examples, those whose step skipped the frozen layers' backward pass
 */
public record ExampleWork(long trained, long scored, long frozen) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Work without frozen layers. */
    public ExampleWork(long trained, long scored) {
        this(trained, scored, 0);
    }

    /** Both rounds' (or workers') work. */
    public ExampleWork plus(ExampleWork other) {
        return new ExampleWork(trained + other.trained, scored + other.scored, frozen + other.frozen);
    }

    /** Estimated FLOPs of this work, from the model's training FLOPs per example. */
    public double flops(double trainingFlopsPerExample) {
        return flops(trainingFlopsPerExample, 0);
    }

    /**
     * Estimated FLOPs of this work, from the model's training FLOPs per example and the backward FLOPs per example
     * that a frozen step skips.
     */
    public double flops(double trainingFlopsPerExample, double frozenBackwardFlopsPerExample) {
        return trained * trainingFlopsPerExample
                + scored * trainingFlopsPerExample / FlopEstimator.TRAINING_PER_FORWARD
                - frozen * frozenBackwardFlopsPerExample;
    }
}
