package io.efftrain.trainers.algorithms.selectivebackprop;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Selective backprop's choice in one minibatch, as a pure function. */
public final class SelectiveBackprop {
    private SelectiveBackprop() {
    }

    /**
     * The rows of the {@code keep} share of examples with the highest losses (at least one), ascending. Ties go to
     * the earlier row, so the choice is deterministic.
     */
    public static int[] highestLosses(float[] losses, double keep) {
        int k = (int) Math.max(1, Math.min(losses.length, Math.round(keep * losses.length)));
        int[] rows = IntStream.range(0, losses.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -losses[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        Arrays.sort(rows);
        return rows;
    }
}
