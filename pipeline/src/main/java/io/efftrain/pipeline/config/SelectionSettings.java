package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Static data pruning: which training examples to keep.
 *
 * @param policy what to keep
 * @param score the difficulty score the policy ranks by
 * @param keepFraction the fraction of the training split to keep (used when keepCount is empty)
 * @param keepCount the number of examples to keep
 * @param offset for {@link SelectionPolicy#OFFSET}: the fraction of the hardest examples skipped
 */
public record SelectionSettings(SelectionPolicy policy, ScoreName score, OptionalDouble keepFraction,
                                OptionalLong keepCount, double offset) implements Serializable {
    static SelectionSettings read(ConfigReader c) {
        OptionalDouble fraction = c.optionalPositiveDouble("keep-fraction");
        if (fraction.isPresent() && fraction.getAsDouble() > 1) {
            throw c.invalid("keep-fraction", "a fraction above 0 and at most 1", String.valueOf(fraction.getAsDouble()));
        }
        SelectionSettings s = new SelectionSettings(c.choice("policy", SelectionPolicy.class),
                c.choice("score", ScoreName.class), fraction, c.optionalPositiveLong("keep-count"), c.fraction("offset"));
        if (s.policy() != SelectionPolicy.NONE && fraction.isEmpty() && s.keepCount().isEmpty()) {
            throw c.invalid("keep-fraction", "set (or keep-count) when a selection policy is chosen", "null");
        }
        return s;
    }
}
