package io.efftrain.trainers.averaging;

import java.util.SplittableRandom;

/**
 * Which examples of a worker's block form each minibatch. Every epoch the worker walks a fresh permutation of
 * its block, seeded by (run seed, worker, epoch): the order is reproducible, differs between workers and
 * epochs, and needs no state carried between rounds (a resumed run draws the same batches).
 */
public final class BatchOrder {
    private final long seed;
    private final int worker;
    private final int blockSize;
    private final int batchSize;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    public BatchOrder(long seed, int worker, int blockSize, int batchSize) {
        this.seed = seed;
        this.worker = worker;
        this.blockSize = blockSize;
        this.batchSize = batchSize;
    }

    /** Minibatches per epoch of this worker (a partial last batch is kept when the block is small). */
    public long batchesPerEpoch() {
        return Math.max(1, blockSize / batchSize);
    }

    /** The epoch that global step {@code step} falls in, for this worker. */
    public long epochOf(long step) {
        return step / batchesPerEpoch();
    }

    /** The offset into {@link #order(long)} where the minibatch of {@code step} starts. */
    public int offsetOf(long step) {
        return (int) ((step % batchesPerEpoch()) * batchSize);
    }

    /** The number of examples in the minibatch of {@code step}. */
    public int countOf(long step) {
        return Math.min(batchSize, blockSize - offsetOf(step));
    }

    /** The permutation of the block for {@code epoch}. */
    public int[] order(long epoch) {
        if (epoch != cachedEpoch) {
            cachedOrder = permutation(seed, worker, epoch, blockSize);
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /** A permutation of [0, n) seeded by (seed, worker, epoch). */
    public static int[] permutation(long seed, int worker, long epoch, int n) {
        return Permutations.shuffled(n,
                new SplittableRandom(seed * 0x9E3779B97F4A7C15L + worker * 0xBF58476D1CE4E5B9L + epoch));
    }
}
