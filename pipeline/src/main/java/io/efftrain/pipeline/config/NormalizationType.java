package io.efftrain.pipeline.config;

/** How features are normalised when they are fed to a network (the stored table keeps the raw values). */
public enum NormalizationType {
    /** To [0, 1]: uint8 values divided by 255; float values by the training split's per-feature min and max. */
    SCALE,
    /** Per feature, minus the training split's mean, divided by its standard deviation. */
    STANDARDIZE,
    /** As stored. */
    NONE
}
