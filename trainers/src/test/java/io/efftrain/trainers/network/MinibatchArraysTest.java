package io.efftrain.trainers.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class MinibatchArraysTest {
    private static float[] values(int n, float start) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i;
        }
        return v;
    }

    @Test
    void aFullBatchRefillsTheSameArray() {
        MinibatchArrays arrays = new MinibatchArrays();
        INDArray first = arrays.features(values(12, 0), 3, 4);
        float[] second = values(12, 100);
        INDArray again = arrays.features(second, 3, 4);
        assertSame(first, again, "same shape: the array is reused");
        assertArrayEquals(second, again.ravel().toFloatVector(), 0f);
        assertArrayEquals(new long[] {3, 4}, again.shape());
    }

    @Test
    void aPartialBatchTakesTheLeadingRowsAndTheNextFullBatchIsWholeAgain() {
        MinibatchArrays arrays = new MinibatchArrays();
        INDArray full = arrays.labels(values(12, 0), 3, 4);
        // A gather buffer sized for the full batch, of which only two rows are this batch.
        INDArray partial = arrays.labels(values(12, 50), 2, 4);
        assertNotSame(full, partial);
        assertArrayEquals(new long[] {2, 4}, partial.shape());
        assertArrayEquals(values(8, 50), partial.ravel().toFloatVector(), 0f);
        float[] next = values(12, 7);
        assertArrayEquals(next, arrays.labels(next, 3, 4).ravel().toFloatVector(), 0f);
    }

    @Test
    void featuresAndLabelsAreSeparateArrays() {
        MinibatchArrays arrays = new MinibatchArrays();
        INDArray features = arrays.features(values(8, 0), 2, 4);
        arrays.labels(values(8, 30), 2, 4);
        assertArrayEquals(values(8, 0), features.ravel().toFloatVector(), 0f);
    }
}
