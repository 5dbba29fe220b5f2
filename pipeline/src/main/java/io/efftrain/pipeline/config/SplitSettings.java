package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * How examples are assigned to splits beyond what the source says: fractions of the source's training data,
 * taken per class (stratified) by a hash of the example id and the run seed, so the assignment is the same on
 * every rerun and independent of partitioning.
 *
 * @param validation fraction of the training data held out as the {@code validation} split
 * @param test fraction held out as {@code test}, used only when the source has no test data of its own
 */
public record SplitSettings(double validation, double test) implements Serializable {
    static SplitSettings read(ConfigReader c) {
        SplitSettings s = new SplitSettings(c.fraction("validation"), c.fraction("test"));
        if (s.validation() + s.test() >= 1) {
            throw c.invalid("test", "a fraction that leaves training data (validation + test < 1)",
                    String.valueOf(s.test()));
        }
        return s;
    }
}
