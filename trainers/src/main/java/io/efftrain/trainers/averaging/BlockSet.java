package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * Examples split into blocks, one per worker, that stay where they are: the training loop sends work to the
 * blocks and gets combined results back, never the examples. {@link SparkBlockSet} keeps the blocks cached on
 * Spark executors; {@link LocalBlockSet} keeps them in this JVM. The loop does not know which one it drives.
 */
public interface BlockSet {
    /** Examples over all blocks. */
    long examples();

    /** Number of blocks (workers). */
    int blocks();

    /** Examples in each block, in worker order. */
    int[] blockSizes();

    /**
     * Runs {@code task} on every block with {@code shared} made available to each, and combines the results.
     *
     * @param zero the neutral element of {@code combine}
     */
    <S extends Serializable, R extends Serializable> R aggregate(S shared, BlockTask<S, R> task, Combiner<R> combine,
                                                                 R zero);

    /** Releases cached blocks. */
    void release();
}
