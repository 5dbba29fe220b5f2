package io.efftrain.pipeline.config;

import java.util.List;
import java.util.OptionalLong;

/**
 * Where the data comes from and how much of it a run uses.
 *
 * @param idx the IDX source files
 * @param trainLimit keep only the first N training examples (a slice), or all when empty
 * @param testLimit keep only the first N test examples, or all when empty
 * @param recordsPerTask examples decoded per prepare task
 * @param classNames human-readable class names, index = label
 */
public record DataSettings(IdxFiles idx, OptionalLong trainLimit, OptionalLong testLimit, int recordsPerTask,
                           List<String> classNames) {
    static DataSettings read(ConfigReader c) {
        return new DataSettings(IdxFiles.read(c.at("idx")), c.optionalPositiveLong("train-limit"),
                c.optionalPositiveLong("test-limit"), c.positiveInt("records-per-task"),
                List.copyOf(c.strings("class-names")));
    }
}
