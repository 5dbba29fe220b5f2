package io.efftrain.trainers.fastcpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The element-wise kernels and the channel sums against plain loops, at the lengths where the strip-wise sums
 * could go wrong: shorter than a strip, exactly whole strips, and whole strips plus a remainder.
 */
class ConvPoolKernelsTest {
    private static final int CHANNELS = 5;

    @Test
    void channelSumsMatchAPlainLoopForEveryLengthAroundTheStripAndForgetEarlierCalls() {
        ChannelSums channelSums = new ChannelSums(CHANNELS, 4);
        Random random = new Random(7);
        for (int positions : new int[] {0, 1, 3, 4, 8, 9, 13, 40}) {
            int length = positions * CHANNELS;
            float[] values = new float[length + CHANNELS];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextInt(100) - 50;
            }
            float[] expected = new float[CHANNELS];
            for (int j = 0; j < length; j++) {
                expected[j % CHANNELS] += values[j];
            }
            float[] sums = new float[CHANNELS];
            sums[2] = 1000;
            expected[2] += 1000;
            channelSums.addTo(values, length, sums);
            assertArrayEquals(expected, sums, "sums over " + positions + " positions add to what was there");
        }
    }

    @Test
    void unpoolingSendsEachGradientToTheFirstMaximumOfItsWindow() {
        float[][] blocks = {{1, 5, 2, 0}, {3, 5, 2, 0}, {2, 4, 7, 0}, {3, 1, 7, 0}};
        float[] max = new float[4];
        ConvPoolKernels.maxPool(blocks, 4, max);
        assertArrayEquals(new float[] {3, 5, 7, 0}, max);
        float[][] gradientBlocks = new float[4][4];
        ConvPoolKernels.unpool(blocks, max, new float[] {10, 20, 30, 40}, 4, gradientBlocks);
        assertArrayEquals(new float[] {0, 20, 0, 40}, gradientBlocks[0]);
        assertArrayEquals(new float[] {10, 0, 0, 0}, gradientBlocks[1]);
        assertArrayEquals(new float[] {0, 0, 30, 0}, gradientBlocks[2]);
        assertArrayEquals(new float[] {0, 0, 0, 0}, gradientBlocks[3]);
        float[] pooled = new float[4];
        ConvPoolKernels.biasRelu(max, new float[] {-4, 1, -8, 2}, pooled, 4);
        assertArrayEquals(new float[] {0, 6, 0, 2}, pooled);
        assertEquals(3, max[0], "the maximum is left for the backward pass");
    }
}
