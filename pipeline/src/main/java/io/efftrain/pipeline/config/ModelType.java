package io.efftrain.pipeline.config;

/** The network architectures efftrain can build from config. */
public enum ModelType {
    /** conv5x5, max-pool, conv5x5, max-pool, dense, softmax (LeCun et al. 1998, widths from config). */
    LENET,
    /** Fully connected layers of the configured widths. */
    MLP
}
