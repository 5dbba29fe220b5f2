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

    @Test
    void hyperbandWithEtaThreeRunsThreeBracketsEndingOnTheFullBudget() {
        List<TunePlan> brackets = TunePlan.hyperband(2, 3);
        assertEquals(List.of(List.of(9, 3, 1), List.of(5, 1), List.of(3)), brackets.stream()
                .map(b -> b.rungs().stream().map(TunePlan.Rung::trials).toList()).toList());
        assertEquals(List.of(1.0 / 9, 1.0 / 3, 1.0), brackets.get(0).rungs().stream().map(TunePlan.Rung::fraction)
                .toList());
        assertEquals(List.of(1.0 / 3, 1.0), brackets.get(1).rungs().stream().map(TunePlan.Rung::fraction).toList());
        assertEquals(List.of(1.0), brackets.get(2).rungs().stream().map(TunePlan.Rung::fraction).toList());
        assertEquals(3 + 5.0 / 3 + 1 + 3, TunePlan.cost(brackets), 1e-12);
        for (int eta = 2; eta <= 4; eta++) {
            for (int sMax = 0; sMax <= 4; sMax++) {
                List<TunePlan> plan = TunePlan.hyperband(sMax, eta);
                assertEquals(sMax + 1, plan.size());
                for (TunePlan bracket : plan) {
                    assertEquals(1.0, bracket.rungs().get(bracket.rungs().size() - 1).fraction(), 1e-12,
                            "every bracket ends on the full budget");
                }
            }
        }
    }

    @Test
    void hyperbandFitsTheBudgetOrNamesIt() {
        for (double budget : new double[] {1, 3, 8, 9, 20}) {
            List<TunePlan> most = TunePlan.hyperbandFitting(OptionalInt.empty(), 3, budget);
            assertTrue(TunePlan.cost(most) <= budget + 1e-9 || most.size() == 1, TunePlan.describe(most));
        }
        assertEquals(3, TunePlan.hyperbandFitting(OptionalInt.empty(), 3, 9).size(), "8.67 full trainings fit 9");
        assertEquals(3, TunePlan.hyperbandFitting(OptionalInt.of(9), 3, 9).size());
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> TunePlan.hyperbandFitting(OptionalInt.of(9), 3, 3));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("more than tune.budget = 3"), e.getMessage());
    }
}
