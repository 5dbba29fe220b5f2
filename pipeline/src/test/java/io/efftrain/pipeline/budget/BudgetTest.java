package io.efftrain.pipeline.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.BudgetSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BudgetTest {
    private static final long DATASET = 1000;
    private static final long PER_STEP = 100;

    private static Budget budget(Double epochs, Duration wall) {
        return new Budget(new BudgetSettings(epochs == null ? OptionalDouble.empty() : OptionalDouble.of(epochs),
                OptionalLong.empty(), OptionalLong.empty(), Optional.ofNullable(wall)));
    }

    private static TrainingTime after(long steps, Duration elapsed) {
        TrainingTime t = TrainingTime.zero();
        return t.plusRound(steps, steps * PER_STEP, DATASET, elapsed, 0);
    }

    @Test
    void fractionIsTheLargestOverTheLimits() {
        Budget b = budget(2.0, Duration.ofSeconds(100));
        TrainingTime t = after(5, Duration.ofSeconds(80));
        assertEquals(0.8, b.fractionUsed(t), 1e-9);
        assertTrue(b.exhausted(t).isEmpty());
        assertEquals(StopReason.WALL_CLOCK, b.exhausted(after(5, Duration.ofSeconds(100))).orElseThrow());
        assertEquals(StopReason.EPOCHS, b.exhausted(after(20, Duration.ofSeconds(10))).orElseThrow());
    }

    @Test
    void epochLimitGivesAFixedStepTotal() {
        Budget b = budget(3.0, null);
        assertEquals(30, b.estimatedTotalSteps(TrainingTime.zero(), PER_STEP, DATASET));
        assertEquals(30, b.estimatedTotalSteps(after(7, Duration.ofSeconds(5)), PER_STEP, DATASET));
    }

    @Test
    void wallClockTotalIsExtrapolatedFromMeasuredThroughput() {
        Budget b = budget(null, Duration.ofSeconds(60));
        assertEquals(Long.MAX_VALUE, b.estimatedTotalSteps(TrainingTime.zero(), PER_STEP, DATASET));
        // 10 steps in 20 s: the remaining 40 s allow 20 more.
        assertEquals(30, b.estimatedTotalSteps(after(10, Duration.ofSeconds(20)), PER_STEP, DATASET));
    }

    @Test
    void theTighterLimitWins() {
        Budget b = budget(100.0, Duration.ofSeconds(60));
        assertEquals(30, b.estimatedTotalSteps(after(10, Duration.ofSeconds(20)), PER_STEP, DATASET));
        Budget epochBound = budget(1.0, Duration.ofSeconds(600));
        assertEquals(10, epochBound.estimatedTotalSteps(after(5, Duration.ofSeconds(20)), PER_STEP, DATASET));
    }

    @Test
    void flopsLimitStopsAndFixesTheStepTotalOnceFlopsPerSampleAreKnown() {
        double perSample = 1e6;
        Budget b = new Budget(new BudgetSettings(OptionalDouble.empty(), OptionalLong.empty(), OptionalLong.empty(),
                Optional.empty(), OptionalDouble.of(50 * PER_STEP * perSample)));
        assertEquals(Long.MAX_VALUE, b.estimatedTotalSteps(TrainingTime.zero(), PER_STEP, DATASET));
        TrainingTime t = TrainingTime.zero().plusRound(10, 10 * PER_STEP, DATASET, Duration.ofSeconds(1),
                10 * PER_STEP * perSample);
        assertEquals(50, b.estimatedTotalSteps(t, PER_STEP, DATASET));
        assertEquals(0.2, b.fractionUsed(t), 1e-9);
        assertTrue(b.exhausted(t).isEmpty());
        TrainingTime end = t.plusRound(40, 40 * PER_STEP, DATASET, Duration.ofSeconds(4), 40 * PER_STEP * perSample);
        assertEquals(StopReason.FLOPS, b.exhausted(end).orElseThrow());
    }
}
