package io.efftrain.pipeline.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class StopwatchTest {
    @Test
    void readsElapsedTimeFromTheInjectedTicker() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        Stopwatch watch = Stopwatch.start(now::get);
        now.addAndGet(1_500_000_000L);
        assertEquals(1_500_000_000L, watch.nanos());
        assertEquals(1.5, watch.seconds(), 1e-12);
    }
}
