package io.efftrain.pipeline.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The limits of a training budget; training stops at whichever is reached first. At least one is set.
 *
 * @param epochs passes over the training data (may be fractional)
 * @param steps global optimisation steps (one step = one minibatch on every worker)
 * @param samples training examples processed
 * @param wallClock elapsed training time
 * @param flops estimated training floating-point operations (forward and backward, as the run summary counts
 *     them), so that budgets compare across models and batch sizes
 */
public record BudgetSettings(OptionalDouble epochs, OptionalLong steps, OptionalLong samples,
                             Optional<Duration> wallClock, OptionalDouble flops) {
    /** Limits without a FLOPs limit. */
    public BudgetSettings(OptionalDouble epochs, OptionalLong steps, OptionalLong samples,
                          Optional<Duration> wallClock) {
        this(epochs, steps, samples, wallClock, OptionalDouble.empty());
    }

    /** A budget of {@code epochs} epochs and no other limit. */
    public static BudgetSettings ofEpochs(double epochs) {
        return new BudgetSettings(OptionalDouble.of(epochs), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty());
    }

    /**
     * Every count limit scaled by {@code fraction} (steps and samples rounded, at least 1), the wall-clock limit
     * dropped.
     */
    public BudgetSettings scaledWithoutWallClock(double fraction) {
        return new BudgetSettings(
                epochs.isPresent() ? OptionalDouble.of(epochs.getAsDouble() * fraction) : OptionalDouble.empty(),
                steps.isPresent() ? OptionalLong.of(Math.max(1L, Math.round(steps.getAsLong() * fraction)))
                        : OptionalLong.empty(),
                samples.isPresent() ? OptionalLong.of(Math.max(1L, Math.round(samples.getAsLong() * fraction)))
                        : OptionalLong.empty(),
                Optional.empty(),
                flops.isPresent() ? OptionalDouble.of(flops.getAsDouble() * fraction) : OptionalDouble.empty());
    }

    static BudgetSettings read(ConfigReader c) {
        BudgetSettings settings = new BudgetSettings(c.optionalPositiveDouble("epochs"),
                c.optionalPositiveLong("steps"), c.optionalPositiveLong("samples"), c.optionalDuration("wall-clock"),
                c.optionalPositiveDouble("flops"));
        if (settings.epochs().isEmpty() && settings.steps().isEmpty() && settings.samples().isEmpty()
                && settings.wallClock().isEmpty() && settings.flops().isEmpty()) {
            throw c.invalid("epochs", "set (or another budget limit must be), since a budget needs a limit",
                    "null like every other limit");
        }
        return settings;
    }
}
