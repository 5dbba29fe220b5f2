package io.efftrain.trainers.averaging;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which examples each worker draws its minibatches from, as a driver-side algorithm chose them (dynamic pruning,
 * curriculum). Without one, every worker walks a fresh permutation of its whole block each epoch
 * ({@link BatchOrder}). With one, worker {@code w} takes the minibatch of global step {@code s} from
 * {@code order[w]}, starting at {@code ((s - firstStep) * batchSize) mod order[w].length}.
 *
 * <p>A selection is either an epoch of its own ({@link #epoch()}: one walk through the selected examples, after
 * which the loop counts one epoch done, however few examples it held: the way InfoBatch's shorter epochs count),
 * or a pool the workers cycle through until the algorithm replaces it (a curriculum's currently available
 * examples; epochs then stay samples over the data set size).
 *
 * @param firstStep the global step the selection starts at
 * @param steps for an epoch, the global steps it takes; for a pool, {@link Long#MAX_VALUE}
 * @param order per worker (block), the block indices of the selected examples in the order they are drawn
 * @param weights per worker, each drawn example's loss weight (aligned with {@code order}), or null for all 1
 * @param reportLosses whether workers send each drawn example's training loss back to the driver
 */
public record DataSelection(long firstStep, long steps, int[][] order, float[][] weights, boolean reportLosses)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** An epoch over the selected examples: as many steps as the smallest worker's selection fills whole batches. */
    public static DataSelection epoch(long firstStep, int batchSize, int[][] order, float[][] weights,
                                      boolean reportLosses) {
        long steps = Arrays.stream(order).mapToLong(o -> Math.max(1, o.length / batchSize)).min().orElse(1);
        return new DataSelection(firstStep, steps, order, weights, reportLosses);
    }

    /** A pool the workers cycle through until it is replaced. */
    public static DataSelection pool(long firstStep, int[][] order, boolean reportLosses) {
        return new DataSelection(firstStep, Long.MAX_VALUE, order, null, reportLosses);
    }

    /** Whether finishing this selection completes one epoch. */
    public boolean epoch() {
        return steps != Long.MAX_VALUE;
    }

    /** The global step after the selection's last one (for a pool, never). */
    public long endStep() {
        return epoch() ? firstStep + steps : Long.MAX_VALUE;
    }

    /** Examples selected over all workers. */
    public long examples() {
        return Arrays.stream(order).mapToLong(o -> o.length).sum();
    }

    /** Where in worker {@code worker}'s order the minibatch of {@code step} starts. */
    int offsetOf(int worker, long step, int batchSize) {
        int n = order[worker].length;
        return (int) (((step - firstStep) * batchSize) % n);
    }
}
