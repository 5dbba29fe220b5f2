package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.config.BudgetSettings;
import java.io.Serializable;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A budget's limits in a form that travels to executors ({@link BudgetSettings} holds Optionals, which Java
 * serialisation rejects). Null means the limit is off.
 *
 * @param epochs passes over the data
 * @param steps optimisation steps
 * @param samples examples processed
 * @param wallClockNanos training time
 * @param flops estimated training FLOPs
 */
public record ModuleBudget(Double epochs, Long steps, Long samples, Long wallClockNanos, Double flops)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The same limits as {@code settings}. */
    public static ModuleBudget of(BudgetSettings settings) {
        return new ModuleBudget(settings.epochs().isPresent() ? settings.epochs().getAsDouble() : null,
                settings.steps().isPresent() ? settings.steps().getAsLong() : null,
                settings.samples().isPresent() ? settings.samples().getAsLong() : null,
                settings.wallClock().map(Duration::toNanos).orElse(null),
                settings.flops().isPresent() ? settings.flops().getAsDouble() : null);
    }

    /** Back to the settings a {@link io.efftrain.pipeline.budget.Budget} reads. */
    public BudgetSettings settings() {
        return new BudgetSettings(epochs == null ? OptionalDouble.empty() : OptionalDouble.of(epochs),
                steps == null ? OptionalLong.empty() : OptionalLong.of(steps),
                samples == null ? OptionalLong.empty() : OptionalLong.of(samples),
                Optional.ofNullable(wallClockNanos).map(Duration::ofNanos),
                flops == null ? OptionalDouble.empty() : OptionalDouble.of(flops));
    }
}
