package io.efftrain.trainers.algorithms.infobatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** InfoBatch prunes only well-learned examples, re-weights the kept ones, and shortens epochs the schedule follows. */
class InfoBatchTest {

    @Test
    void prunesAboutTheRatioOfWellLearnedExamplesAndUpWeightsTheRest() {
        int n = 20_000;
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = i % 2 == 0 ? 0.1f : 1.0f;
        }
        scores[1] = Float.POSITIVE_INFINITY;
        InfoBatch.Epoch epoch = InfoBatch.prune(new float[][] {scores}, 0.5, 7, 3);
        int[] order = epoch.order()[0];
        float[] weights = epoch.weights()[0];
        int wellLearnedKept = 0;
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < order.length; i++) {
            assertTrue(seen.add(order[i]), "each example at most once");
            boolean wellLearned = scores[order[i]] < 0.55f;
            assertEquals(wellLearned ? 2f : 1f, weights[i], "weight of example " + order[i]);
            wellLearnedKept += wellLearned ? 1 : 0;
        }
        for (int i = 1; i < n; i += 2) {
            assertTrue(seen.contains(i), "hard and unseen examples are always kept: " + i);
        }
        assertEquals(n / 2 - wellLearnedKept, epoch.skipped());
        assertEquals(0.5, (double) epoch.skipped() / (n / 2), 0.02, "about half the well-learned skipped");
        assertTrue(order[0] != 0 || order[1] != 1, "the epoch's order is shuffled");

        InfoBatch.Epoch again = InfoBatch.prune(new float[][] {scores}, 0.5, 7, 3);
        assertArrayEquals(order, again.order()[0], "seeded: the same choice for the same epoch");
        assertTrue(!Arrays.equals(order, InfoBatch.prune(new float[][] {scores}, 0.5, 7, 4).order()[0]),
                "another epoch, another choice");
    }

    @Test
    void nothingIsWellLearnedBeforeAnyLossIsKnown() {
        float[][] unseen = {new float[100], new float[50]};
        Arrays.fill(unseen[0], Float.POSITIVE_INFINITY);
        Arrays.fill(unseen[1], Float.POSITIVE_INFINITY);
        InfoBatch.Epoch epoch = InfoBatch.prune(unseen, 0.5, 1, 0);
        assertEquals(100, epoch.order()[0].length);
        assertEquals(50, epoch.order()[1].length);
        assertEquals(0, epoch.skipped());
    }

    /** What the loop planned each round. */
    private record Round(long firstStep, int steps, long totalSteps, DataSelection selection) {
    }

    @Test
    void epochsShrinkThenTurnFullAndTheScheduleEndsAtTheLastStep() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[16]",
                "train.batch-size=20", "train.budget.epochs=4", "train.budget.wall-clock=null",
                "train.schedule=linear-to-zero", "sampling.infobatch.enabled=true", "sampling.infobatch.anneal=0.75"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        List<TrainingAlgorithm<TrainingState>> algorithms = trainer.driverAlgorithms();
        InfoBatchAlgorithm infoBatch = (InfoBatchAlgorithm) algorithms.get(0);
        List<Round> rounds = new ArrayList<>();
        List<Double> epochEnds = new ArrayList<>();
        LoopSettings settings = new LoopSettings(20, 4, 0.01, config.train().schedule(), 0, 7, 0, List.of());
        // Two workers of 400 examples: a full epoch is 20 steps.
        LocalBlockSet blocks = new LocalBlockSet(List.of(FashionMnist.block(true, 800).slice(0, 400),
                FashionMnist.block(true, 800).slice(400, 400)));
        TrainingState end = new TrainingLoop(blocks, trainer.spec(), settings,
                new Budget(config.train().budget()), new ManualTicker(Duration.ofMillis(1)), algorithms,
                List.of((event, state) -> {
                    if (event == Event.ROUND_START) {
                        RoundPlan plan = state.plan();
                        rounds.add(new Round(plan.firstStep(), plan.steps(), plan.learningRates().totalSteps(),
                                plan.selection()));
                    } else if (event == Event.EPOCH_END) {
                        epochEnds.add(state.time().epochs());
                    }
                })).fit(NetworkState.capture(trainer.newNetwork()));

        assertEquals(List.of(1.0, 2.0, 3.0, 4.0), epochEnds, "four epochs, each ending on a whole number");
        List<Long> epochSteps = rounds.stream().map(r -> r.selection().steps()).distinct().toList();
        assertEquals(20, rounds.get(0).selection().steps(), "the first epoch sees everything: no loss known yet");
        long total = end.time().steps();
        assertTrue(total < 80, "pruned epochs are shorter: " + total + " steps instead of 80");
        assertTrue(rounds.stream().anyMatch(r -> r.selection().weights() != null && r.selection().steps() < 20),
                "some epochs are pruned and weighted: " + epochSteps);
        Round last = rounds.get(rounds.size() - 1);
        assertNull(last.selection().weights(), "after the anneal point, all data at weight 1");
        assertEquals(20, last.selection().steps());
        assertEquals(total, last.totalSteps(), "the schedule's total is the real total by the last round");
        for (Round r : rounds) {
            assertTrue(r.firstStep() + r.steps() <= r.selection().endStep(), "no round crosses an epoch's end");
        }
        assertTrue(infoBatch.skipped() > 0);
        assertTrue(end.time().samples() <= infoBatch.chosen(), "only chosen examples were trained on");
    }
}
