package io.efftrain.trainers.algorithms.curriculum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.Pacing;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pacing functions grow from the start share to all data; the curriculum draws only from the available prefix. */
class CurriculumTest {

    @ParameterizedTest
    @EnumSource(value = Pacing.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void everyPacingGrowsFromTheStartShareToAllData(Pacing pacing) {
        assertEquals(0.2, PacingFunctions.share(pacing, 0.2, 0.8, 0), 1e-12);
        double previous = 0;
        for (double used = 0; used <= 1; used += 0.01) {
            double share = PacingFunctions.share(pacing, 0.2, 0.8, used);
            assertTrue(share >= previous - 1e-12, pacing + " never shrinks");
            assertTrue(share >= 0.2 && share <= 1);
            previous = share;
        }
        assertEquals(1, PacingFunctions.share(pacing, 0.2, 0.8, 0.8), 1e-12);
    }

    @Test
    void pacingShapes() {
        assertEquals(0.6, PacingFunctions.share(Pacing.LINEAR, 0.2, 0.8, 0.4), 1e-12);
        assertEquals(0.2 + 0.8 * Math.sqrt(0.5), PacingFunctions.share(Pacing.ROOT, 0.2, 0.8, 0.4), 1e-12);
        assertEquals(0.2 + 0.8 / 3, PacingFunctions.share(Pacing.STEP, 0.2, 0.8, 0.4), 1e-12);
        assertEquals(0.2 * Math.pow(5, 0.5), PacingFunctions.share(Pacing.EXPONENTIAL, 0.2, 0.8, 0.4), 1e-12);
        assertEquals(1, PacingFunctions.share(Pacing.NONE, 0.2, 0.8, 0), 1e-12);
    }

    @Test
    void workersDrawOnlyFromTheAvailablePrefixUntilItIsEverything() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[16]",
                "train.batch-size=20", "train.budget.epochs=2", "train.budget.wall-clock=null",
                "sampling.curriculum.pacing=linear", "sampling.curriculum.start-fraction=0.25",
                "sampling.curriculum.full-at=0.5"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        List<double[]> seen = new ArrayList<>();
        List<DataSelection> selections = new ArrayList<>();
        LoopSettings settings = new LoopSettings(20, 4, 0.01, config.train().schedule(), 0, 7, 0, List.of());
        TrainingState end = new TrainingLoop(new LocalBlockSet(List.of(FashionMnist.block(true, 400))),
                trainer.spec(), settings, new Budget(config.train().budget()), new ManualTicker(Duration.ofMillis(1)),
                trainer.driverAlgorithms(), List.of((event, state) -> {
                    if (event == Event.ROUND_START) {
                        DataSelection s = state.plan().selection();
                        selections.add(s);
                        double used = (double) state.plan().firstStep() / state.plan().learningRates().totalSteps();
                        int max = s == null ? 399 : Arrays.stream(s.order()[0]).max().orElseThrow();
                        seen.add(new double[] {used, max, s == null ? 400 : s.order()[0].length});
                    }
                })).fit(NetworkState.capture(trainer.newNetwork()));

        assertEquals(2.0, end.time().epochs(), 1e-9, "a curriculum does not change how long training is");
        assertEquals(100, seen.get(0)[2], "a quarter of the block to begin with");
        for (double[] round : seen) {
            double share = PacingFunctions.share(Pacing.LINEAR, 0.25, 0.5, round[0]);
            assertTrue(round[1] < Math.max(20, Math.ceil(share * 400)) + 1e-9,
                    "only the easiest examples (a prefix of the block) at budget " + round[0] + ": " + round[1]);
        }
        assertNull(selections.get(selections.size() - 1), "all data once the pacing reaches 1");
        assertTrue(seen.stream().anyMatch(r -> r[2] > 100 && r[2] < 400), "the pool grows in between");
    }
}
