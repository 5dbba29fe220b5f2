package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * The data-centric stages between prepare and training: duplicate removal, example scoring, static selection.
 *
 * @param dedupEnabled whether {@code run} removes duplicates before training
 * @param dedup how duplicates are found
 * @param scoring how example scores are computed
 * @param selection which examples {@code run} and {@code prune} keep
 * @param infoBatch dynamic pruning inside training
 * @param selectiveBackprop per-minibatch selection inside training
 * @param curriculum easiest-first ordering inside training
 */
public record SamplingSettings(boolean dedupEnabled, DedupSettings dedup, ScoringSettings scoring,
                               SelectionSettings selection, InfoBatchSettings infoBatch,
                               SelectiveBackpropSettings selectiveBackprop, CurriculumSettings curriculum)
        implements Serializable {
    static SamplingSettings read(ConfigReader c) {
        if (c.bool("infobatch.enabled") && c.choice("curriculum.pacing", Pacing.class) != Pacing.NONE) {
            throw c.invalid("curriculum.pacing", "none while sampling.infobatch.enabled is true (both choose the "
                    + "examples of each epoch; pick one)", c.string("curriculum.pacing"));
        }
        return new SamplingSettings(c.bool("dedup.enabled"), DedupSettings.read(c.at("dedup")),
                ScoringSettings.read(c.at("scoring")), SelectionSettings.read(c.at("selection")),
                InfoBatchSettings.read(c.at("infobatch")), SelectiveBackpropSettings.read(c.at("selective-backprop")),
                CurriculumSettings.read(c.at("curriculum")));
    }
}
