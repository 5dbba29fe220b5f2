package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * A curriculum over example difficulty.
 *
 * @param pacing how the available share grows; {@link Pacing#NONE} switches the curriculum off
 * @param score the difficulty score that orders the examples
 * @param anti hardest first instead of easiest first
 * @param startFraction the share of the data available at the start
 * @param fullAt the budget fraction from which all data is available
 */
public record CurriculumSettings(Pacing pacing, ScoreName score, boolean anti, double startFraction, double fullAt)
        implements Serializable {
    static CurriculumSettings read(ConfigReader c) {
        double start = c.positiveDouble("start-fraction");
        if (start > 1) {
            throw c.invalid("start-fraction", "a share above 0 and at most 1", String.valueOf(start));
        }
        double fullAt = c.positiveDouble("full-at");
        if (fullAt > 1) {
            throw c.invalid("full-at", "a budget fraction above 0 and at most 1", String.valueOf(fullAt));
        }
        return new CurriculumSettings(c.choice("pacing", Pacing.class), c.choice("score", ScoreName.class),
                c.bool("anti"), start, fullAt);
    }

    /** Whether a curriculum is on. */
    public boolean enabled() {
        return pacing != Pacing.NONE;
    }
}
