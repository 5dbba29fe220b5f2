package io.efftrain.trainers.averaging;

import java.util.SplittableRandom;

/** Permutations: the one shuffle every part of the trainer uses, and the order that reads a block as it is. */
public final class Permutations {
    private Permutations() {
    }

    /** A Fisher-Yates permutation of [0, n) drawn from {@code random}. */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = identity(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** 0, 1, ..., n - 1: a block's examples in stored order. */
    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
