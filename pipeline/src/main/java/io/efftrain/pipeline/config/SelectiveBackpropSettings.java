package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * Selective backprop (Jiang et al., 2019): back-propagate only the highest-loss share of each minibatch.
 *
 * @param enabled whether training selects
 * @param keep the share of each minibatch back-propagated
 * @param start the budget fraction where selection begins
 * @param end the budget fraction where it ends
 */
public record SelectiveBackpropSettings(boolean enabled, double keep, double start, double end)
        implements Serializable {
    static SelectiveBackpropSettings read(ConfigReader c) {
        double keep = c.positiveDouble("keep");
        if (keep > 1) {
            throw c.invalid("keep", "a share above 0 and at most 1", String.valueOf(keep));
        }
        double start = c.fraction("start");
        double end = c.number("end");
        if (end <= start || end > 1) {
            throw c.invalid("end", "a budget fraction after start (" + start + ") and at most 1", String.valueOf(end));
        }
        return new SelectiveBackpropSettings(c.bool("enabled"), keep, start, end);
    }
}
