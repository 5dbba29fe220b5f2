package io.efftrain.pipeline.config;

import java.util.OptionalDouble;

/**
 * Data-side regularisers applied to every minibatch on the workers.
 *
 * @param labelSmoothing epsilon of label smoothing (0.1 is usual), or off
 * @param mixupAlpha alpha of mixup's Beta(alpha, alpha) (0.2 is usual), or off
 * @param cutmixAlpha alpha of CutMix's Beta(alpha, alpha) (1.0 is usual), or off
 */
public record RegularizationSettings(OptionalDouble labelSmoothing, OptionalDouble mixupAlpha,
                                     OptionalDouble cutmixAlpha) {
    static RegularizationSettings read(ConfigReader c) {
        OptionalDouble smoothing = c.optionalPositiveDouble("label-smoothing");
        if (smoothing.isPresent() && smoothing.getAsDouble() >= 1) {
            throw c.invalid("label-smoothing", "a number in (0, 1), or null", String.valueOf(smoothing.getAsDouble()));
        }
        return new RegularizationSettings(smoothing, c.optionalPositiveDouble("mixup-alpha"),
                c.optionalPositiveDouble("cutmix-alpha"));
    }
}
