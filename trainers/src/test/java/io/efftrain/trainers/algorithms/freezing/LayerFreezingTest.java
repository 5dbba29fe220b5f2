package io.efftrain.trainers.algorithms.freezing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.model.InputShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frozen layers keep their weights exactly until the configured fraction of the budget, then train. */
class LayerFreezingTest {
    @Test
    void theFirstLayerHoldsStillForHalfTheBudgetThenTrains() {
        // 400 examples, batch 50, 2 epochs: 16 steps in 8 rounds of 2; steps 0-7 are in the first half.
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[16, 8]",
                "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=2",
                "train.budget.wall-clock=null", "train.freezing.layers=1", "train.freezing.until=0.5"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        int first = (int) NetworkState.leadingParameters(trainer.newNetwork(), 1);
        assertEquals(784 * 16 + 16, first);
        float[] initial = NetworkState.capture(trainer.newNetwork()).parameters();

        List<float[]> rounds = new ArrayList<>();
        trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 400))), new ManualTicker(Duration.ofMillis(1)),
                List.of(), List.of((event, state) -> {
                    if (event == Event.ROUND_END) {
                        rounds.add(state.model().parameters().clone());
                    }
                }));
        assertEquals(8, rounds.size());
        for (int r = 0; r < 4; r++) {
            assertArrayEquals(Arrays.copyOf(initial, first), Arrays.copyOf(rounds.get(r), first), 0f,
                    "round " + r + ": the frozen layer has its initial weights");
            assertFalse(Arrays.equals(Arrays.copyOfRange(initial, first, initial.length),
                    Arrays.copyOfRange(rounds.get(r), first, initial.length)), "round " + r + ": the rest trains");
        }
        for (int r = 4; r < 8; r++) {
            assertFalse(Arrays.equals(Arrays.copyOf(rounds.get(r - 1), first), Arrays.copyOf(rounds.get(r), first)),
                    "round " + r + ": the layer trains again");
        }
    }

    @Test
    void frozenUntilTheFraction() {
        assertTrue(LayerFreezing.frozen(0.49, 0.5));
        assertFalse(LayerFreezing.frozen(0.5, 0.5));
    }
}
