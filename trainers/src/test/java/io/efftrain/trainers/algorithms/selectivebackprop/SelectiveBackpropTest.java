package io.efftrain.trainers.algorithms.selectivebackprop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.TrainRound;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Selective backprop keeps the highest-loss share of a minibatch, rows intact, and only inside its window. */
class SelectiveBackpropTest {
    private static final ExampleBlock BLOCK = FashionMnist.block(true, 8);

    @Test
    void choosesTheHighestLosses() {
        assertArrayEquals(new int[] {1, 3}, SelectiveBackprop.highestLosses(new float[] {0.1f, 3f, 0.2f, 2f}, 0.5));
        assertArrayEquals(new int[] {0}, SelectiveBackprop.highestLosses(new float[] {1f, 1f, 1f}, 0.1),
                "at least one, ties to the earlier row");
        assertArrayEquals(new int[] {0, 1, 2}, SelectiveBackprop.highestLosses(new float[] {1f, 2f, 3f}, 1.0));
    }

    private static MinibatchState batch(double budgetUsed) {
        return TrainRound.minibatchState(BLOCK, new BatchOrder(1, 0, 8, 8), 0, 10, 0, 1, budgetUsed);
    }

    @Test
    void keepsWholeRowsOfTheChosenExamples() {
        MinibatchState full = batch(0.6);
        MinibatchState batch = batch(0.6);
        batch.weights()[5] = 3f;
        float[] losses = {0f, 5f, 0f, 0f, 0f, 9f, 0f, 0f};
        // A stand-in for the network's forward pass: the losses are given, the rows must follow them.
        setProbe(batch, losses);
        SelectiveBackpropAlgorithm algorithm = new SelectiveBackpropAlgorithm(0.25, 0.5, 0.9);
        assertTrue(algorithm.match(Event.BATCH_START, batch));
        algorithm.apply(Event.BATCH_START, batch);
        assertEquals(2, batch.count());
        int f = full.featureSize();
        assertArrayEquals(Arrays.copyOfRange(full.features(), f, 2 * f), Arrays.copyOfRange(batch.features(), 0, f));
        assertArrayEquals(Arrays.copyOfRange(full.features(), 5 * f, 6 * f), Arrays.copyOfRange(batch.features(), f, 2 * f));
        assertArrayEquals(Arrays.copyOfRange(full.labels(), 50, 60), Arrays.copyOfRange(batch.labels(), 10, 20));
        assertArrayEquals(new float[] {1f, 3f}, batch.weights(), "weights follow their rows");
        assertArrayEquals(new int[] {full.examples()[1], full.examples()[5]}, batch.examples());
    }

    @Test
    void actsOnlyInsideItsWindow() {
        SelectiveBackpropAlgorithm algorithm = new SelectiveBackpropAlgorithm(0.5, 0.5, 0.9);
        assertFalse(algorithm.match(Event.BATCH_START, batch(0.49)));
        assertTrue(algorithm.match(Event.BATCH_START, batch(0.5)));
        assertFalse(algorithm.match(Event.BATCH_START, batch(0.9)));
        assertFalse(algorithm.match(Event.BATCH_END, batch(0.6)));
    }

    private static void setProbe(MinibatchState batch, float[] losses) {
        batch.setLossProbe((features, labels, count) -> losses.clone());
    }
}
