package io.efftrain.pipeline.config;

/** How fast a curriculum makes harder examples available, as a function of the budget fraction used. */
public enum Pacing {
    /** No curriculum: all data from the start. */
    NONE,
    LINEAR,
    /** Square root: opens up fast at first, then slowly. */
    ROOT,
    /** Three equal steps. */
    STEP,
    /** Doubling: slow at first, fast at the end. */
    EXPONENTIAL
}
