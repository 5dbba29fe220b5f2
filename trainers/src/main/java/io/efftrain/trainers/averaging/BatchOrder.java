package io.efftrain.trainers.averaging;

import java.util.SplittableRandom;

/**
 * Which examples of a worker's block form each minibatch. Every epoch the worker walks a fresh permutation of
 * its block, seeded by (run seed, worker, epoch): the order is reproducible, differs between workers and
 * epochs, and needs no state carried between rounds (a resumed run draws the same batches). A block read from
 * a spill file is shuffled in windows instead ({@link #windowed}): the windows in a fresh order, the examples
 * within each, so a minibatch's reads stay within one window of the file and the next window can be paged in
 * while this one trains. A window at least the block's size is the whole-block permutation, draw for draw.
 */
public final class BatchOrder {
    private final long seed;
    private final int worker;
    private final int blockSize;
    private final int batchSize;
    private final int window;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    public BatchOrder(long seed, int worker, int blockSize, int batchSize) {
        this(seed, worker, blockSize, batchSize, Integer.MAX_VALUE);
    }

    /** @param window examples per shuffle window (see {@link #windowed}) */
    public BatchOrder(long seed, int worker, int blockSize, int batchSize, int window) {
        this.seed = seed;
        this.worker = worker;
        this.blockSize = blockSize;
        this.batchSize = batchSize;
        this.window = window;
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
            cachedOrder = windowed(seed, worker, epoch, blockSize, window);
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }

    /**
     * The stored range {from, count} of the window this epoch reads after the one that holds the minibatch of
     * {@code step}, or null when there is none (the epoch's last window, or a block shuffled whole).
     */
    public int[] nextWindow(long step) {
        if (window >= blockSize) {
            return null;
        }
        int[] order = order(epochOf(step));
        int next = (offsetOf(step) / window + 1) * window;
        if (next >= blockSize) {
            return null;
        }
        int from = order[next] / window * window;
        return new int[] {from, Math.min(window, blockSize - from)};
    }

    /** A permutation of [0, n) seeded by (seed, worker, epoch). */
    public static int[] permutation(long seed, int worker, long epoch, int n) {
        return Permutations.shuffled(n, random(seed, worker, epoch));
    }

    /**
     * A permutation of [0, n) that keeps windows of {@code window} consecutive indices together: the windows in a
     * shuffled order, each window's indices shuffled. Only the last window may be shorter, and it is placed last
     * so every window starts at a multiple of {@code window} in the permutation. With {@code window >= n} it is
     * {@link #permutation}.
     */
    public static int[] windowed(long seed, int worker, long epoch, int n, int window) {
        if (window >= n) {
            return permutation(seed, worker, epoch, n);
        }
        SplittableRandom random = random(seed, worker, epoch);
        int full = n / window;
        int[] windows = Permutations.shuffled(full, random);
        int[] order = new int[n];
        int at = 0;
        for (int w = 0; w <= full; w++) {
            int from = w < full ? windows[w] * window : full * window;
            int count = Math.min(window, n - from);
            for (int i : Permutations.shuffled(count, random)) {
                order[at++] = from + i;
            }
        }
        return order;
    }

    private static SplittableRandom random(long seed, int worker, long epoch) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + worker * 0xBF58476D1CE4E5B9L + epoch);
    }
}
