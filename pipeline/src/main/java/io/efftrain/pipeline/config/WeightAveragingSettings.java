package io.efftrain.pipeline.config;

import java.util.OptionalDouble;

/**
 * Averages of the weights over training, used as the final model instead of the last weights.
 *
 * @param emaDecay per-step decay of an exponential moving average (0.999 is usual), or off
 * @param swaStart fraction of the budget after which SWA averages the weights equally (0.55 is usual), or off
 */
public record WeightAveragingSettings(OptionalDouble emaDecay, OptionalDouble swaStart) {
    static WeightAveragingSettings read(ConfigReader c) {
        OptionalDouble decay = c.optionalPositiveDouble("ema-decay");
        if (decay.isPresent() && decay.getAsDouble() >= 1) {
            throw c.invalid("ema-decay", "a number in (0, 1), or null", String.valueOf(decay.getAsDouble()));
        }
        OptionalDouble start = c.optionalPositiveDouble("swa-start");
        if (start.isPresent() && start.getAsDouble() >= 1) {
            throw c.invalid("swa-start", "a fraction of the budget in (0, 1), or null", String.valueOf(start.getAsDouble()));
        }
        if (decay.isPresent() && start.isPresent()) {
            throw c.invalid("swa-start", "null when ema-decay is set (the final model is one average or the other)",
                    String.valueOf(start.getAsDouble()));
        }
        return new WeightAveragingSettings(decay, start);
    }
}
