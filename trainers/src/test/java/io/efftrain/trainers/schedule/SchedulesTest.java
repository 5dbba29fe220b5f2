package io.efftrain.trainers.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ScheduleType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    @ParameterizedTest
    @EnumSource(value = ScheduleType.class, names = {"COSINE", "LINEAR_TO_ZERO", "REX", "ONE_CYCLE"})
    void budgetAwareSchedulesEndAtZeroAndNeverIncreaseAfterTheirPeak(ScheduleType schedule) {
        assertEquals(0.0, Schedules.factor(schedule, 1.0), 1e-12);
        double peak = 0;
        double previous = Double.MAX_VALUE;
        boolean pastPeak = false;
        for (int i = 0; i <= 1000; i++) {
            double f = Schedules.factor(schedule, i / 1000.0);
            assertTrue(f >= 0 && f <= 1 + 1e-12, schedule + " at " + i);
            if (f < peak - 1e-12) {
                pastPeak = true;
            }
            if (pastPeak) {
                assertTrue(f <= previous + 1e-12, schedule + " rises again at " + i);
            }
            peak = Math.max(peak, f);
            previous = f;
        }
        assertEquals(1.0, peak, 1e-3);
    }

    @Test
    void eachScheduleHasItsPublishedShape() {
        assertEquals(1.0, Schedules.factor(ScheduleType.CONSTANT, 0.9), 1e-12);
        assertEquals(1.0, Schedules.factor(ScheduleType.STEP, 0.49), 1e-12);
        assertEquals(0.1, Schedules.factor(ScheduleType.STEP, 0.5), 1e-12);
        assertEquals(0.01, Schedules.factor(ScheduleType.STEP, 0.8), 1e-12);
        assertEquals(0.5, Schedules.factor(ScheduleType.COSINE, 0.5), 1e-12);
        assertEquals(0.25, Schedules.factor(ScheduleType.LINEAR_TO_ZERO, 0.75), 1e-12);
        // REX: (1 - p) / (1 - p/2) stays above linear decay: 0.5 / 0.75 at p = 0.5.
        assertEquals(2.0 / 3, Schedules.factor(ScheduleType.REX, 0.5), 1e-12);
        assertEquals(1.0 / 25, Schedules.factor(ScheduleType.ONE_CYCLE, 0), 1e-12);
        assertEquals(1.0, Schedules.factor(ScheduleType.ONE_CYCLE, 0.3), 1e-12);
    }

    @Test
    void warmUpRisesLinearlyFromZeroThenRunsTheScheduleOverTheRest() {
        assertEquals(0.0, Schedules.factor(ScheduleType.COSINE, 0.1, 0.0), 1e-12);
        assertEquals(0.5, Schedules.factor(ScheduleType.COSINE, 0.1, 0.05), 1e-12);
        assertEquals(1.0, Schedules.factor(ScheduleType.COSINE, 0.1, 0.1), 1e-12);
        assertEquals(0.5, Schedules.factor(ScheduleType.COSINE, 0.1, 0.55), 1e-12);
        assertEquals(0.0, Schedules.factor(ScheduleType.COSINE, 0.1, 1.0), 1e-12);
    }

    @Test
    void linearScalingIsProportionalToTheGlobalBatch() {
        assertEquals(0.8, Schedules.linearScaling(0.1, 256, 2048), 1e-12);
        assertEquals(0.1, Schedules.linearScaling(0.1, 256, 256), 1e-12);
    }
}
