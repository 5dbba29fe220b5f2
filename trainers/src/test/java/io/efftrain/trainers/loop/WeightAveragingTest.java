package io.efftrain.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.algorithms.ema.ExponentialAverage;
import io.efftrain.trainers.algorithms.ema.EmaAlgorithm;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.algorithms.swa.RunningMean;
import io.efftrain.trainers.algorithms.swa.SwaAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** EMA and SWA average exactly the weights they claim to and become the final model; nothing else changes. */
class WeightAveragingTest {
    @Test
    void pureFunctions() {
        float[] average = {0, 10};
        ExponentialAverage.update(average, new float[] {1, 0}, 0.5, 2);
        assertArrayEquals(new float[] {0.75f, 2.5f}, average, 1e-6f);
        float[] mean = {2, 4};
        RunningMean.add(mean, new float[] {4, 8}, 2);
        RunningMean.add(mean, new float[] {0, 0}, 3);
        assertArrayEquals(new float[] {2, 4}, mean, 1e-6f);
    }

    private static TrainingState train(List<TrainingAlgorithm<TrainingState>> algorithms, List<float[]> seen) {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[8]",
                "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=2",
                "train.budget.wall-clock=null"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        return trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 400))),
                new ManualTicker(Duration.ofMillis(1)), algorithms, List.of((event, state) -> {
                    if (event == Event.ROUND_END) {
                        seen.add(state.model().parameters().clone());
                    }
                }));
    }

    @Test
    void swaIsTheMeanOfTheRoundsAfterItsStartAndEmaTheDecayedAverage() {
        List<float[]> plainRounds = new ArrayList<>();
        TrainingState plain = train(List.of(), plainRounds);
        assertEquals(8, plainRounds.size());
        assertArrayEquals(plainRounds.get(7), plain.model().parameters(), "without averaging the last weights win");

        List<float[]> swaRounds = new ArrayList<>();
        SwaAlgorithm swa = new SwaAlgorithm(0.5);
        TrainingState averaged = train(List.of(swa), swaRounds);
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(plainRounds.get(i), swaRounds.get(i), 0f, "SWA does not change training itself");
        }
        // Budget used reaches 0.5 after round 4 of 8: rounds 4..8 are averaged.
        assertEquals(5, swa.averaged());
        float[] expected = new float[plainRounds.get(0).length];
        for (int r = 3; r < 8; r++) {
            for (int i = 0; i < expected.length; i++) {
                expected[i] += plainRounds.get(r)[i] / 5;
            }
        }
        assertArrayEquals(expected, averaged.model().parameters(), 1e-5f);

        TrainingState ema = train(List.of(new EmaAlgorithm(0.9)), new ArrayList<>());
        float[] reference = plainRounds.get(0).clone();
        for (int r = 1; r < 8; r++) {
            ExponentialAverage.update(reference, plainRounds.get(r), 0.9, 2);
        }
        assertArrayEquals(reference, ema.model().parameters(), 1e-5f);
        assertFalse(Arrays.equals(plainRounds.get(7), ema.model().parameters()));
        assertTrue(ema.evaluationOfCurrentModel().isEmpty());
    }
}
