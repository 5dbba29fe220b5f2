package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchOrderTest {
    @Test
    void anEpochVisitsEveryFullBatchOnceAndEpochsAndWorkersDiffer() {
        BatchOrder order = new BatchOrder(7, 0, 100, 30);
        assertEquals(3, order.batchesPerEpoch());
        Set<Integer> seen = new HashSet<>();
        for (long step = 0; step < 3; step++) {
            int[] perm = order.order(order.epochOf(step));
            for (int i = 0; i < order.countOf(step); i++) {
                seen.add(perm[order.offsetOf(step) + i]);
            }
        }
        assertEquals(90, seen.size(), "three distinct batches of 30");
        assertEquals(1, order.epochOf(3));
        assertEquals(0, order.offsetOf(3));
        assertFalse(Arrays.equals(BatchOrder.permutation(7, 0, 0, 100), BatchOrder.permutation(7, 0, 1, 100)));
        assertFalse(Arrays.equals(BatchOrder.permutation(7, 0, 0, 100), BatchOrder.permutation(7, 1, 0, 100)));
        assertArrayEquals(BatchOrder.permutation(7, 1, 4, 100), BatchOrder.permutation(7, 1, 4, 100));
    }

    @Test
    void aBlockSmallerThanABatchIsOnePartialBatch() {
        BatchOrder order = new BatchOrder(1, 0, 10, 64);
        assertEquals(1, order.batchesPerEpoch());
        assertEquals(10, order.countOf(0));
        assertEquals(10, order.countOf(5));
    }
}
