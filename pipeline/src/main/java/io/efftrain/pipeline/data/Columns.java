package io.efftrain.pipeline.data;

/**
 * Column names of the canonical table, shared by every module that reads it (datasets writes it, sampling
 * selects from it, jobs joins it with scores), so none of them depends on another for four strings.
 */
public final class Columns {
    public static final String ID = "id";
    public static final String LABEL = "label";
    public static final String FEATURES = "features";
    public static final String SPLIT = "split";

    private Columns() {
    }
}
