package io.efftrain.pipeline.config;

/** The per-example difficulty scores efftrain computes; each is oriented so that larger means harder. */
public enum ScoreName {
    LOSS,
    EL2N,
    GRAND,
    /** Stored as the margin (true-class probability minus the best other); hardness is its negative. */
    MARGIN,
    FORGETTING
}
