package io.efftrain.pipeline.config;

import java.util.OptionalInt;

/**
 * Layer freezing: the first {@code layers} layers of the network take no step until {@code until} of the budget is
 * used, then train like the rest.
 *
 * @param layers how many layers, counted from the input in the network's order (layers without parameters
 *     count too), or off
 * @param until the fraction of the budget after which the frozen layers train again, in (0, 1]
 */
public record FreezingSettings(OptionalInt layers, double until) {
    static FreezingSettings read(ConfigReader c) {
        var layers = c.optionalPositiveLong("layers");
        double until = c.positiveDouble("until");
        if (until > 1) {
            throw c.invalid("until", "a fraction of the budget in (0, 1]", String.valueOf(until));
        }
        if (layers.isPresent() && layers.getAsLong() > 10_000) {
            throw c.invalid("layers", "at most 10000", String.valueOf(layers.getAsLong()));
        }
        return new FreezingSettings(layers.isPresent() ? OptionalInt.of((int) layers.getAsLong()) : OptionalInt.empty(),
                until);
    }
}
