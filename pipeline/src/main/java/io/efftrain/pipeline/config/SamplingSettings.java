package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * The data-centric stages between prepare and training: duplicate removal, example scoring, static selection.
 *
 * @param dedupEnabled whether {@code run} removes duplicates before training
 * @param dedup how duplicates are found
 * @param scoring how example scores are computed
 * @param selection which examples {@code run} and {@code prune} keep
 */
public record SamplingSettings(boolean dedupEnabled, DedupSettings dedup, ScoringSettings scoring,
                               SelectionSettings selection) implements Serializable {
    static SamplingSettings read(ConfigReader c) {
        return new SamplingSettings(c.bool("dedup.enabled"), DedupSettings.read(c.at("dedup")),
                ScoringSettings.read(c.at("scoring")), SelectionSettings.read(c.at("selection")));
    }
}
