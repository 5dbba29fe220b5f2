package io.efftrain.pipeline.budget;

import java.io.Serializable;

/**
 * A monotonic time source in nanoseconds. Injected wherever elapsed time matters (budgets, progress, ETA), so
 * tests can advance time without sleeping.
 */
@FunctionalInterface
public interface Ticker extends Serializable {
    /** Nanoseconds from an arbitrary fixed origin; only differences are meaningful. */
    long nanos();

    /** The JVM's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
