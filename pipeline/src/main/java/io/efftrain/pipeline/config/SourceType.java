package io.efftrain.pipeline.config;

/** Where a run's examples come from; each has its own section under {@code data}. */
public enum SourceType {
    /** The four IDX files of an MNIST-style data set. */
    IDX,
    /** CSV files with a header line, a label column and numeric feature columns. */
    CSV,
    /** Image folders: one sub-folder per class, PNG or JPEG files. */
    IMAGES,
    /** Existing Parquet tables, columns mapped in config. */
    PARQUET,
    /** A canonical table efftrain already prepared (prepare once, train many times). */
    TABLE
}
