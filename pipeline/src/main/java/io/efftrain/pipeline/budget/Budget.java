package io.efftrain.pipeline.budget;

import io.efftrain.pipeline.config.BudgetSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleToLongFunction;

/**
 * A training budget: limits in epochs, steps, samples, wall-clock time and estimated FLOPs, any of which ends
 * training. It answers
 * two questions the loop and the schedules ask: what fraction is used, and how many steps the whole budget will
 * probably allow (for wall-clock limits, extrapolated from the throughput measured so far, so that a schedule
 * annealing to zero still reaches zero when time runs out).
 */
public final class Budget {
    private final BudgetSettings limits;

    public Budget(BudgetSettings limits) {
        this.limits = limits;
    }

    public BudgetSettings limits() {
        return limits;
    }

    /** The largest fraction used over all set limits: 1 or more means exhausted. */
    public double fractionUsed(TrainingTime time) {
        double used = 0;
        if (limits.epochs().isPresent()) {
            used = Math.max(used, time.epochs() / limits.epochs().getAsDouble());
        }
        if (limits.steps().isPresent()) {
            used = Math.max(used, (double) time.steps() / limits.steps().getAsLong());
        }
        if (limits.samples().isPresent()) {
            used = Math.max(used, (double) time.samples() / limits.samples().getAsLong());
        }
        if (limits.wallClock().isPresent()) {
            used = Math.max(used, (double) time.elapsed().toNanos() / limits.wallClock().get().toNanos());
        }
        if (limits.flops().isPresent()) {
            used = Math.max(used, time.flops() / limits.flops().getAsDouble());
        }
        return used;
    }

    /** The limit that is exhausted, if any; the first in declaration order wins a tie. */
    public Optional<StopReason> exhausted(TrainingTime time) {
        if (limits.epochs().isPresent() && time.epochs() >= limits.epochs().getAsDouble() - 1e-9) {
            return Optional.of(StopReason.EPOCHS);
        }
        if (limits.steps().isPresent() && time.steps() >= limits.steps().getAsLong()) {
            return Optional.of(StopReason.STEPS);
        }
        if (limits.samples().isPresent() && time.samples() >= limits.samples().getAsLong()) {
            return Optional.of(StopReason.SAMPLES);
        }
        Optional<Duration> wall = limits.wallClock();
        if (wall.isPresent() && time.elapsed().compareTo(wall.get()) >= 0) {
            return Optional.of(StopReason.WALL_CLOCK);
        }
        if (limits.flops().isPresent() && time.flops() >= limits.flops().getAsDouble() * (1 - 1e-12)) {
            return Optional.of(StopReason.FLOPS);
        }
        return Optional.empty();
    }

    /**
     * The total number of global steps the budget is expected to allow.
     *
     * @param time progress so far
     * @param samplesPerStep examples per global step (batch size times workers)
     * @param datasetSize examples per epoch
     * @return the smallest step total over all limits; for a wall-clock or FLOPs limit with no throughput or
     *     FLOPs per sample known yet, that limit is ignored (the other limits, or {@link Long#MAX_VALUE}, decide)
     */
    public long estimatedTotalSteps(TrainingTime time, long samplesPerStep, long datasetSize) {
        return estimatedTotalSteps(time, samplesPerStep, datasetSize, BudgetPrior.NONE);
    }

    /** The same, with what is known before the first step for the wall-clock and FLOPs limits. */
    public long estimatedTotalSteps(TrainingTime time, long samplesPerStep, long datasetSize, BudgetPrior prior) {
        return estimatedTotalSteps(time, samplesPerStep,
                epochs -> (long) Math.ceil(epochs * datasetSize / samplesPerStep), prior);
    }

    /**
     * The same, for epochs of differing lengths (dynamic pruning shortens some).
     *
     * @param stepAtEpoch the global step at which training is expected to complete the given (possibly
     *     fractional) number of epochs
     */
    public long estimatedTotalSteps(TrainingTime time, long samplesPerStep, DoubleToLongFunction stepAtEpoch) {
        return estimatedTotalSteps(time, samplesPerStep, stepAtEpoch, BudgetPrior.NONE);
    }

    /**
     * The same, with {@code prior} standing in for the measured step time and FLOPs per sample until training
     * has measured its own. When every estimate says the end is reached while no limit is (an epoch that turned
     * out longer than expected, a curriculum's growing pool), the total is extrapolated from the fraction of the
     * budget used, so the schedule keeps annealing instead of training the rest at its final rate of zero.
     */
    public long estimatedTotalSteps(TrainingTime time, long samplesPerStep, DoubleToLongFunction stepAtEpoch,
                                    BudgetPrior prior) {
        double total = Double.POSITIVE_INFINITY;
        if (limits.epochs().isPresent()) {
            total = Math.min(total, stepAtEpoch.applyAsLong(limits.epochs().getAsDouble()));
        }
        if (limits.steps().isPresent()) {
            total = Math.min(total, limits.steps().getAsLong());
        }
        if (limits.samples().isPresent()) {
            total = Math.min(total, Math.ceil((double) limits.samples().getAsLong() / samplesPerStep));
        }
        if (limits.wallClock().isPresent()) {
            double remaining = Math.max(0, limits.wallClock().get().toNanos() - time.elapsed().toNanos());
            if (time.steps() > 0 && !time.elapsed().isZero()) {
                double stepsPerNano = (double) time.steps() / time.elapsed().toNanos();
                total = Math.min(total, time.steps() + Math.floor(remaining * stepsPerNano));
            } else if (prior.nanosPerStep() > 0) {
                total = Math.min(total, time.steps() + Math.max(1, Math.floor(remaining / prior.nanosPerStep())));
            }
        }
        if (limits.flops().isPresent()) {
            // The remaining FLOPs at the latest known cost per drawn sample: fixed by the model for most runs, lower
            // while a selective method trains on part of what it draws, lower while frozen layers skip their
            // backward pass. The latest round's cost (the prior, kept current by the loop) predicts the next steps
            // better than the average so far, which a cheap frozen start would keep too low to the end.
            double flopsPerSample = prior.flopsPerSample() > 0 ? prior.flopsPerSample()
                    : time.samples() > 0 && time.flops() > 0 ? time.flops() / time.samples() : 0;
            if (flopsPerSample > 0) {
                double remaining = Math.max(0, limits.flops().getAsDouble() - time.flops());
                total = Math.min(total, time.steps() + Math.ceil(remaining / (flopsPerSample * samplesPerStep)
                        - 1e-9));
            }
        }
        if (Double.isInfinite(total)) {
            return Long.MAX_VALUE;
        }
        double used = fractionUsed(time);
        if (total <= time.steps() && exhausted(time).isEmpty() && used > 0 && used < 1) {
            total = time.steps() + Math.max(1, Math.ceil(time.steps() * (1 - used) / used));
        }
        return Math.max(1, (long) total);
    }
}
