package io.efftrain.trainers.algorithms.freezing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    /**
     * A frozen step stops backpropagation above the frozen layers: their part of the gradient is never written
     * (it stays zero), while the layers above get the same update as a full step whose frozen weights are put
     * back afterwards.
     */
    @Test
    void frozenLayersSkipTheirBackwardPassAndTheRestStepsAsBefore() {
        for (String kernels : List.of("dl4j", "fast-cpu")) {
            EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=lenet", "model.kernels=" + kernels,
                    "train.batch-size=32", "train.optimizer.type=adam",
                    // Without weight decay, which the updater adds into the gradient view of frozen weights too.
                    "train.optimizer.l2=0"));
            Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
            ExampleBlock block = FashionMnist.block(true, 64);
            BatchOrder order = new BatchOrder(7, 0, block.size(), 32);
            Network full = trainer.newNetwork();
            Network skipping = trainer.newNetwork();
            NetworkState.load(skipping, NetworkState.capture(full));
            int frozenLayers = 2;
            int first = (int) NetworkState.leadingParameters(full, frozenLayers);
            float[] before = NetworkState.capture(full).parameters();

            MinibatchState a = TrainRound.minibatchState(block, order, 0, 10, 0, 7);
            MinibatchState b = TrainRound.minibatchState(block, order, 0, 10, 0, 7);
            b.freezeFirstLayers(frozenLayers);
            // The reference: a full step (frozen weights restored by hand, as before layers could be skipped).
            TrainRound.step(full, a);
            float[] fullAfter = NetworkState.capture(full).parameters();
            System.arraycopy(before, 0, fullAfter, 0, first);
            TrainRound.step(skipping, b);
            float[] skippedAfter = NetworkState.capture(skipping).parameters();

            INDArray gradient = ((MultiLayerNetwork) skipping.model()).getGradientsViewArray();
            float[] frozenGradient = Arrays.copyOf(gradient.dup().data().asFloat(), first);
            assertArrayEquals(new float[first], frozenGradient, 0f, kernels + ": no gradient for frozen layers");
            float[] fullGradient = ((MultiLayerNetwork) full.model()).getGradientsViewArray().dup().data().asFloat();
            assertTrue(maxAbs(Arrays.copyOf(fullGradient, first)) > 0, kernels + ": a full step computes them");
            assertArrayEquals(Arrays.copyOf(before, first), Arrays.copyOf(skippedAfter, first), 0f,
                    kernels + ": frozen weights unchanged");
            assertArrayEquals(fullAfter, skippedAfter, 1e-6f, kernels + ": the layers above step as before");
            assertEquals(a.loss(), b.loss(), 1e-6, kernels + ": the same loss");
            assertFalse(skipping.layers()[0] instanceof org.deeplearning4j.nn.layers.FrozenLayer,
                    kernels + ": the layers are released after the step");
        }
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void frozenUntilTheFraction() {
        assertTrue(LayerFreezing.frozen(0.49, 0.5));
        assertFalse(LayerFreezing.frozen(0.5, 0.5));
    }
}
