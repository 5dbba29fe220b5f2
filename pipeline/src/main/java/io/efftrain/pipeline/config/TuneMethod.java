package io.efftrain.pipeline.config;

/** How {@code efftrain tune} spends its budget over the trials. */
public enum TuneMethod {
    /**
     * Successive halving (Jamieson and Talwalkar, 2016; Li et al., 2017): every starting trial trains on the
     * smallest budget, the best 1/eta of each rung train again on eta times the budget, until one trial trains on
     * the full budget.
     */
    SUCCESSIVE_HALVING,
    /**
     * Hyperband (Li et al., 2017): successive halving in several brackets, from the most aggressive (the most
     * trials, on the smallest share) down to one whose trials all train on the full budget, so a config that learns
     * slowly at first is not always the first cut. The best of the brackets' last rungs wins.
     */
    HYPERBAND
}
