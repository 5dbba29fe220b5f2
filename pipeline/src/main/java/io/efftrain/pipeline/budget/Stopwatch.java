package io.efftrain.pipeline.budget;

/**
 * Elapsed time on an injected {@link Ticker}: stage timings and benchmarks read time the way budgets do, so a test
 * that scripts the ticker scripts them too.
 */
public final class Stopwatch {
    private final Ticker ticker;
    private final long start;

    private Stopwatch(Ticker ticker) {
        this.ticker = ticker;
        this.start = ticker.nanos();
    }

    /** A stopwatch running from now on {@code ticker}. */
    public static Stopwatch start(Ticker ticker) {
        return new Stopwatch(ticker);
    }

    /** Nanoseconds since the start. */
    public long nanos() {
        return ticker.nanos() - start;
    }

    /** Seconds since the start. */
    public double seconds() {
        return nanos() / 1e9;
    }
}
