package io.efftrain.pipeline.testing;

import io.efftrain.pipeline.budget.Ticker;
import java.time.Duration;

/** A ticker that moves only when told to, or by a fixed step on every reading. */
public final class ManualTicker implements Ticker {
    private static final long serialVersionUID = 1L;
    private long now;
    private final long stepPerReading;

    /** A ticker that advances {@code stepPerReading} after each reading. */
    public ManualTicker(Duration stepPerReading) {
        this.stepPerReading = stepPerReading.toNanos();
    }

    @Override
    public synchronized long nanos() {
        long value = now;
        now += stepPerReading;
        return value;
    }

    /** Moves time forward. */
    public synchronized void advance(Duration d) {
        now += d.toNanos();
    }
}
