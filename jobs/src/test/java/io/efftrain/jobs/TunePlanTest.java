package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Successive halving's arithmetic, a pure function. */
class TunePlanTest {
    @Test
    void nineTrialsWithEtaThreeCostThreeFullTrainings() {
        TunePlan plan = TunePlan.successiveHalving(9, 3);
        assertEquals(List.of(9, 3, 1), plan.rungs().stream().map(TunePlan.Rung::trials).toList());
        assertEquals(List.of(1.0 / 9, 1.0 / 3, 1.0), plan.rungs().stream().map(TunePlan.Rung::fraction).toList());
        assertEquals(3.0, plan.cost(), 1e-12);
    }

    @Test
    void everyRungKeepsOneEtathOfTheLastAndTheLastTrainsOneTrialOnTheFullBudget() {
        for (int eta = 2; eta <= 4; eta++) {
            for (int n = 1; n <= 200; n++) {
                TunePlan plan = TunePlan.successiveHalving(n, eta);
                List<TunePlan.Rung> rungs = plan.rungs();
                assertEquals(n, rungs.get(0).trials());
                TunePlan.Rung last = rungs.get(rungs.size() - 1);
                assertEquals(1, last.trials(), "n=" + n + " eta=" + eta);
                assertEquals(1.0, last.fraction(), 0);
                for (int i = 1; i < rungs.size(); i++) {
                    assertEquals(Math.max(1, rungs.get(i - 1).trials() / eta), rungs.get(i).trials());
                    assertEquals(rungs.get(i - 1).fraction() * eta, rungs.get(i).fraction(), 1e-12);
                    assertTrue(rungs.get(i).trials() < rungs.get(i - 1).trials(), "each rung promotes fewer");
                }
            }
        }
    }

    @Test
    void twoTrialsWithEtaTwo() {
        TunePlan plan = TunePlan.successiveHalving(2, 2);
        assertEquals(List.of(2, 1), plan.rungs().stream().map(TunePlan.Rung::trials).toList());
        assertEquals(List.of(0.5, 1.0), plan.rungs().stream().map(TunePlan.Rung::fraction).toList());
        assertEquals(2.0, plan.cost(), 0);
        assertEquals(1.0, TunePlan.successiveHalving(1, 3).cost(), 0);
    }

    @Test
    void theChosenPlanNeverCostsMoreThanTheBudget() {
        for (double budget : new double[] {1, 1.5, 2, 2.5, 3, 4, 7.5}) {
            for (int eta = 2; eta <= 4; eta++) {
                TunePlan most = TunePlan.fitting(OptionalInt.empty(), eta, budget, 1_000);
                assertTrue(most.cost() <= budget + 1e-9, most.describe() + " within " + budget);
                // No larger start fits (else the search left budget unused).
                for (int n = most.trials() + 1; n <= 300; n++) {
                    assertTrue(TunePlan.successiveHalving(n, eta).cost() > budget, n + " trials, eta " + eta);
                }
            }
        }
        assertEquals(1, TunePlan.fitting(OptionalInt.empty(), 3, 1, 1_000).trials(), "1 full training: 1 trial");
    }

    @Test
    void requestedTrialsAreCappedByTheSpaceAndRefusedAboveTheBudget() {
        assertEquals(4, TunePlan.fitting(OptionalInt.of(9), 3, 3, 4).trials(), "a space of 4 points: 4 trials");
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> TunePlan.fitting(OptionalInt.of(27), 3, 3, 1_000));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("tune.trials = 27 with tune.eta = 3"), e.getMessage());
        assertTrue(e.getMessage().contains("more than tune.budget = 3"), e.getMessage());
        assertTrue(e.getMessage().contains("set tune.trials = 18 or fewer"), e.getMessage());
    }
}
