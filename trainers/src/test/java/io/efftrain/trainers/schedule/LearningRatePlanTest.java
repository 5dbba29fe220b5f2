package io.efftrain.trainers.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.pipeline.config.ScheduleType;
import org.junit.jupiter.api.Test;

class LearningRatePlanTest {
    @Test
    void linearToZeroFallsLinearlyAndReachesZeroAtTheBudgetsEnd() {
        LearningRatePlan plan = new LearningRatePlan(0.1, ScheduleType.LINEAR_TO_ZERO, 0, 200);
        assertEquals(0.1, plan.rate(0), 1e-12);
        assertEquals(0.05, plan.rate(100), 1e-12);
        assertEquals(0.0005, plan.rate(199), 1e-12);
        assertEquals(0.0, plan.rate(200), 1e-12);
        assertEquals(0.0, plan.rate(250), 1e-12);
    }

    @Test
    void constantIgnoresTheBudget() {
        LearningRatePlan plan = new LearningRatePlan(0.1, ScheduleType.CONSTANT, 0, 200);
        assertEquals(0.1, plan.rate(0), 1e-12);
        assertEquals(0.1, plan.rate(199), 1e-12);
    }

    @Test
    void anUnknownTotalKeepsThePeakUntilThroughputIsMeasured() {
        LearningRatePlan plan = new LearningRatePlan(0.1, ScheduleType.LINEAR_TO_ZERO, 0, Long.MAX_VALUE);
        assertEquals(0.1, plan.rate(1_000_000), 1e-12);
    }
}
