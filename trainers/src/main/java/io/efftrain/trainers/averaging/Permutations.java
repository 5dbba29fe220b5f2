package io.efftrain.trainers.averaging;

import java.util.SplittableRandom;

/** Random permutations, the one shuffle every part of the trainer uses. */
public final class Permutations {
    private Permutations() {
    }

    /** A Fisher-Yates permutation of [0, n) drawn from {@code random}. */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
