package io.efftrain.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression targets and per-example weights ride in a block beside the labels: on the heap and spilled alike, in
 * slices, and into minibatch label rows of (target, weight slot); a block without them is as before.
 */
class BlockTargetsAndWeightsTest {
    private static final int SIZE = 4;

    @TempDir
    Path dir;

    private static ExampleBlock build(BlockMemory memory, boolean targets, boolean weights, int examples) {
        ExampleBlock.Builder builder = new ExampleBlock.Builder(FeatureDecoder.pixelsToUnitRange(SIZE), memory);
        for (int i = 0; i < examples; i++) {
            byte[] pixels = {(byte) i, (byte) (i + 1), (byte) (i + 2), (byte) (i + 3)};
            builder.add(targets ? 0 : i % 3, targets ? i * 0.5f : Float.NaN, weights ? (i % 4) * 0.25f : 1f, pixels);
        }
        return builder.build();
    }

    @Test
    void targetsAndWeightsSurviveHeapSpillAndSlice() {
        for (BlockMemory memory : new BlockMemory[] {BlockMemory.unlimited(),
            BlockMemory.of(100).spillingTo(dir.toString())}) {
            ExampleBlock block = build(memory, true, true, 3000);
            assertTrue(block.regression() && block.weighted());
            assertEquals(memory.bytesPerBlock() < 1000, block.spilled());
            assertEquals(1234 * 0.5f, block.target(1234));
            assertEquals(0.5f, block.weight(1234 + 0));
            ExampleBlock slice = block.slice(1000, 10);
            assertEquals(1001 * 0.5f, slice.target(1));
            assertEquals(0.25f, slice.weight(1));
            float[] labels = new float[3 * ExampleBlock.REGRESSION_LABEL_WIDTH];
            block.fillLabels(new int[] {7, 8, 9}, 0, 3, 10, labels);
            assertArrayEquals(new float[] {3.5f, 1, 4f, 1, 4.5f, 1}, labels, "targets with a weight slot of 1");
            assertEquals(2, block.labelWidth(10));
            block.release();
        }
    }

    @Test
    void aBlockWithoutThemIsAsBefore() {
        ExampleBlock plain = build(BlockMemory.unlimited(), false, false, 50);
        assertFalse(plain.regression() || plain.weighted());
        assertEquals(1f, plain.weight(3));
        assertEquals(10, plain.labelWidth(10));
        float[] labels = new float[2 * 3];
        plain.fillLabels(new int[] {4, 5}, 0, 2, 3, labels);
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 1}, labels, "one-hot, as fillOneHot");
        ExampleBlock weighted = build(BlockMemory.unlimited(), false, true, 50);
        assertTrue(weighted.weighted() && !weighted.regression());
        assertEquals(0f, weighted.weight(4), "a weight of 0 is kept");
        assertEquals(0.75f, weighted.weight(7));
    }

    @Test
    void mixingTargetsAndClassLabelsInOneBlockFails() {
        ExampleBlock.Builder builder = new ExampleBlock.Builder(FeatureDecoder.pixelsToUnitRange(SIZE));
        builder.add(0, 1.5f, 1f, new byte[SIZE]);
        assertThrows(IllegalArgumentException.class, () -> builder.add(0, Float.NaN, 1f, new byte[SIZE]));
    }
}
