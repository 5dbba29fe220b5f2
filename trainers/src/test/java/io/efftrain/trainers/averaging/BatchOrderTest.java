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

    @Test
    void aWindowedOrderKeepsWindowsTogetherInAFreshOrderEveryEpoch() {
        int n = 1000;
        int window = 128;
        int[] order = BatchOrder.windowed(5, 1, 0, n, window);
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Permutations.identity(n), sorted, "a permutation");
        int[] windowsVisited = new int[(n + window - 1) / window];
        for (int start = 0; start < n; start += window) {
            int w = order[start] / window;
            windowsVisited[start / window] = w;
            for (int i = start; i < Math.min(n, start + window); i++) {
                assertEquals(w, order[i] / window, "position " + i + " leaves its window");
            }
        }
        assertEquals(n / window, windowsVisited[windowsVisited.length - 1], "the short window comes last");
        int[] nextEpoch = BatchOrder.windowed(5, 1, 1, n, window);
        assertFalse(Arrays.equals(order, nextEpoch));
        assertFalse(windowOrder(order, window).equals(windowOrder(nextEpoch, window)), "the windows' order changes");
        assertArrayEquals(order, BatchOrder.windowed(5, 1, 0, n, window), "reproducible from the seed");
    }

    @Test
    void aWindowAsLargeAsTheBlockIsTheWholeBlockPermutation() {
        assertArrayEquals(BatchOrder.permutation(3, 0, 2, 500), BatchOrder.windowed(3, 0, 2, 500, 500));
        assertArrayEquals(BatchOrder.permutation(3, 0, 2, 500), BatchOrder.windowed(3, 0, 2, 500, 1 << 16));
    }

    @Test
    void theNextWindowIsTheOneTheFollowingStepsRead() {
        BatchOrder order = new BatchOrder(9, 0, 1000, 32, 256);
        int[] perm = order.order(0);
        int[] next = order.nextWindow(0);
        assertEquals(perm[256] / 256 * 256, next[0]);
        assertEquals(next[0] == 768 ? 232 : 256, next[1]);
        assertEquals(null, new BatchOrder(9, 0, 1000, 32).nextWindow(0), "a block shuffled whole has no windows");
        assertEquals(null, order.nextWindow(order.batchesPerEpoch() - 1), "the epoch's last window has no next");
    }

    private static java.util.List<Integer> windowOrder(int[] order, int window) {
        java.util.List<Integer> windows = new java.util.ArrayList<>();
        for (int start = 0; start < order.length; start += window) {
            windows.add(order[start] / window);
        }
        return windows;
    }
}
