package io.efftrain.pipeline.config;

import java.util.Locale;

/**
 * The held-out split that evaluations during training read: the accuracy curve, time to accuracy and the stopping
 * rules that follow it. The final accuracy of a run is always measured on the test split.
 */
public enum EvaluationSplit {
    /** The test split: what the benchmark's time to accuracy is defined on. */
    TEST,
    /**
     * The validation split ({@code data.split.validation > 0}): for choosing settings, stopping early or targeting
     * an accuracy without looking at the test split, so the final test accuracy stays an unbiased estimate.
     */
    VALIDATION;

    /** The split's name in the canonical table's {@code split} column. */
    public String tableName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
