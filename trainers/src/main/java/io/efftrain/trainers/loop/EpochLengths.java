package io.efftrain.trainers.loop;

/**
 * How many global steps later epochs are expected to take, when a data selection makes epochs shorter than a
 * pass over all data: the schedule's total-step estimate adds them up, so a schedule that anneals to zero still
 * reaches zero at the last step of the last, shortened epoch.
 */
@FunctionalInterface
public interface EpochLengths {
    /** The expected global steps of epoch {@code epoch} (0-based). */
    long steps(long epoch);
}
