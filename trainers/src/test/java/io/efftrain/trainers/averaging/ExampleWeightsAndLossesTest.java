package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

/**
 * Per-example loss weights scale each example's share of the gradient; per-example losses are the losses the
 * step saw, and are computed only when asked for.
 */
class ExampleWeightsAndLossesTest {
    private static final int COUNT = 16;
    private static final ExampleBlock BLOCK = FashionMnist.block(true, COUNT);
    // Plain SGD at rate 1 without L2: the step is exactly minus the gradient.
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=mlp",
            "model.mlp.hidden=[16]", "train.optimizer.type=sgd", "train.optimizer.l2=0"));
    private static final Trainer TRAINER = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
    private static final ParameterState START = NetworkState.capture(TRAINER.newNetwork());

    private static MinibatchState batch(ExampleBlock block) {
        return TrainRound.minibatchState(block, new BatchOrder(1, 0, block.size(), block.size()), 0, 10, 0, 1);
    }

    /** The parameter change of one step from START on {@code batch}. */
    private static float[] step(MinibatchState batch) {
        Network net = TRAINER.newNetwork();
        NetworkState.load(net, START);
        NetworkState.setLearningRate(net, 1.0);
        TrainRound.step(net, batch);
        float[] after = net.params().toFloatVector();
        float[] delta = new float[after.length];
        for (int i = 0; i < after.length; i++) {
            delta[i] = after[i] - START.parameters()[i];
        }
        return delta;
    }

    private static MinibatchState weighted(float weightOfFirst) {
        MinibatchState batch = batch(BLOCK);
        batch.weights()[0] = weightOfFirst;
        return batch;
    }

    @Test
    void aWeightScalesTheExamplesGradientContribution() {
        float[] plain = step(batch(BLOCK));
        float[] ones = step(weighted(1));
        float[] dropped = step(weighted(0));
        float[] doubled = step(weighted(2));
        assertArrayEquals(plain, ones, 1e-6f, "weights of 1 are the unweighted step");

        // The first example's own contribution, measured two ways: removing it and adding it once more.
        double size = 0;
        for (int i = 0; i < plain.length; i++) {
            assertEquals(plain[i] - dropped[i], doubled[i] - plain[i], 1e-5, "parameter " + i);
            size = Math.max(size, Math.abs(plain[i] - dropped[i]));
        }
        assertTrue(size > 1e-4, "the example contributes something: " + size);

        // Weight 0 is the step on the other examples alone, still divided by the full minibatch size.
        MinibatchState full = batch(BLOCK);
        int f = full.featureSize();
        MinibatchState rest = new MinibatchState(Arrays.copyOfRange(full.features(), f, COUNT * f),
                Arrays.copyOfRange(full.labels(), 10, COUNT * 10), COUNT - 1, f, 10, 0, 0, 1);
        float[] restDelta = step(rest);
        float scale = (COUNT - 1f) / COUNT;
        for (int i = 0; i < dropped.length; i++) {
            assertEquals(restDelta[i] * scale, dropped[i], 1e-5, "parameter " + i);
        }
    }

    @Test
    void perExampleLossesAreTheLossesTheStepSawAndOnlyWhenAsked() {
        MinibatchState unasked = batch(BLOCK);
        step(unasked);
        assertNull(unasked.exampleLosses(), "no per-example losses unless an algorithm asks");

        MinibatchState asked = batch(BLOCK);
        asked.requestExampleLosses();
        step(asked);
        float[] losses = asked.exampleLosses();
        assertEquals(COUNT, losses.length);

        Network reference = TRAINER.newNetwork();
        NetworkState.load(reference, START);
        float[] direct = ((MultiLayerNetwork) reference.model())
                .scoreExamples(TrainRound.toDataSet(batch(BLOCK)), false).toFloatVector();
        assertArrayEquals(direct, losses, 1e-4f, "DL4J's own per-example scores at the step's starting weights");
        double mean = 0;
        for (float loss : losses) {
            mean += loss / COUNT;
        }
        assertEquals(asked.loss(), mean, 1e-4, "their mean is the minibatch loss");
        assertTrue(Arrays.stream(new double[] {losses[0], losses[1]}).allMatch(l -> l > 0));
    }
}
