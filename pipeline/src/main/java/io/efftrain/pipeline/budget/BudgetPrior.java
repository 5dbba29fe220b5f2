package io.efftrain.pipeline.budget;

/**
 * What is known about the cost of a step before training has taken one, so that a wall-clock or FLOPs budget
 * knows its total steps (and a schedule its position) from the first step: a probe's measured time per global
 * step, and the model's training FLOPs per example. Zero means unknown.
 *
 * @param nanosPerStep wall time of one global step, measured by a short probe before the clock starts
 * @param flopsPerSample FLOPs to train on one drawn example (forward and backward): the model's estimate before
 *     the first step, then what the latest round spent per drawn example
 */
public record BudgetPrior(double nanosPerStep, double flopsPerSample) {
    /** Nothing known: a wall-clock or FLOPs limit waits for the first round's measurements. */
    public static final BudgetPrior NONE = new BudgetPrior(0, 0);

    /** The same prior with the cost per drawn sample a round just measured. */
    public BudgetPrior withFlopsPerSample(double measured) {
        return measured > 0 ? new BudgetPrior(nanosPerStep, measured) : this;
    }
}
