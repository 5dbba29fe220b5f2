package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The element-wise kernels and the channel sums against plain loops, the channel sums at the lengths where their
 * strip-wise loop could go wrong (shorter than a strip, exactly whole strips, and whole strips plus a remainder);
 * and the split of a range of a matrix's rows into column runs, over several passes through a small scratch.
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

    @Test
    void poolingMatchesPlainLoopsOnRandomBlocks() {
        int length = 4133; // long enough for C2's vectorised main loop, and a remainder after it
        Random random = new Random(11);
        float[][] blocks = new float[4][length];
        for (float[] block : blocks) {
            for (int j = 0; j < length; j++) {
                block[j] = random.nextInt(7);
            }
        }
        float[] gradient = new float[length];
        for (int j = 0; j < length; j++) {
            gradient[j] = random.nextInt(100) + 1;
        }
        float[] max = new float[length];
        ConvPoolKernels.maxPool(blocks, length, max);
        float[][] gradientBlocks = new float[4][length];
        ConvPoolKernels.unpool(blocks, max, gradient.clone(), length, gradientBlocks);
        for (int j = 0; j < length; j++) {
            float expected = Math.max(Math.max(blocks[0][j], blocks[1][j]), Math.max(blocks[2][j], blocks[3][j]));
            assertEquals(expected, max[j], "maximum at " + j);
            int first = 0;
            while (blocks[first][j] != expected) {
                first++;
            }
            for (int w = 0; w < 4; w++) {
                assertEquals(w == first ? gradient[j] : 0f, gradientBlocks[w][j], "gradient of block " + w + " at " + j);
            }
        }
    }

    @Test
    void splittingAndJoiningARangeOfRowsRoundTripsThroughAScratchOfAFewRows() {
        int rows = 11;
        int width = 3;
        int firstRow = 2;
        int count = 7;
        float[] values = new float[rows * 2 * width];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        INDArray matrix = Nd4j.create(values, new long[] {rows, 2 * width}, 'c');
        float[][] parts = new float[2][count * width];
        float[] scratch = new float[4 * 2 * width + 1];
        HostBuffers.splitColumns(HostBuffers.values(matrix), firstRow, count, width, parts, scratch);
        for (int r = 0; r < count; r++) {
            for (int c = 0; c < width; c++) {
                int row = firstRow + r;
                assertEquals(row * 2 * width + c, parts[0][r * width + c], "left part, row " + row);
                assertEquals(row * 2 * width + width + c, parts[1][r * width + c], "right part, row " + row);
            }
        }
        INDArray joined = Nd4j.zeros(DataType.FLOAT, rows, 2 * width);
        HostBuffers.joinColumns(parts, firstRow, count, width, HostBuffers.values(joined), scratch);
        INDArray expected = matrix.dup();
        expected.get(NDArrayIndex.interval(0, firstRow), NDArrayIndex.all()).assign(0);
        expected.get(NDArrayIndex.interval(firstRow + count, rows), NDArrayIndex.all()).assign(0);
        assertEquals(expected, joined, "rows outside the range are left alone");
    }

    @Test
    void valuesOfAViewStartAtItsFirstValue() {
        INDArray matrix = Nd4j.create(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, new long[] {4, 2}, 'c');
        INDArray lastRows = matrix.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        assertEquals(4f, HostBuffers.values(lastRows).get(0));
        assertEquals(4, HostBuffers.values(lastRows).remaining());
    }
}
