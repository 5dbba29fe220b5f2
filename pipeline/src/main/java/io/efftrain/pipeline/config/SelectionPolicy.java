package io.efftrain.pipeline.config;

/** Which examples a static selection keeps, by their difficulty score (see {@link ScoreName}). */
public enum SelectionPolicy {
    /** No selection: train on everything. */
    NONE,
    /** The hardest examples (Paul et al.: keeping the hardest half of CIFAR-10 kept accuracy). */
    HARDEST,
    /** The easiest examples (better than hardest when very little data is kept). */
    EASIEST,
    /** A band around the middle: as many dropped from the hard end as from the easy end. */
    MODERATE,
    /** The hardest within each class, the same fraction of every class. */
    STRATIFIED,
    /** Skip the hardest {@code offset} fraction (often mislabelled), keep the next ones. */
    OFFSET,
    /** A uniform random subset (seeded): the baseline every score must beat. */
    RANDOM
}
