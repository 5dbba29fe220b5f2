package io.efftrain.trainers.model.vit;

/** A layer that knows its own forward-pass cost, for {@code FlopEstimator} and so for FLOP budgets. */
public interface ForwardFlops {
    /** Floating-point operations (a multiply-add counts 2) of one example's forward pass. */
    double forwardFlopsPerExample();
}
