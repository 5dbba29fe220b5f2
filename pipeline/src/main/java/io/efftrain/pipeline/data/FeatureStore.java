package io.efftrain.pipeline.data;

import java.io.Serializable;

/**
 * Where a block's encoded features live: in a heap array ({@link HeapFeatures}) while the block fits its memory
 * budget, or in a file on the worker's local disk, mapped into memory ({@link SpilledFeatures}), when it does not.
 * Training reads either through {@link #decode}; only the block's labels stay on the heap.
 */
public interface FeatureStore extends Serializable {
    /** Encoded bytes held. */
    long bytes();

    /** Whether the features live in a local file rather than on the heap. */
    boolean spilled();

    /**
     * Decodes the example that starts at byte {@code offset} into {@code out[at ..]}.
     *
     * @param offset example index times the decoder's bytes per example
     */
    void decode(FeatureDecoder decoder, long offset, float[] out, int at);

    /** Copies {@code into.length} encoded bytes starting at {@code offset}. */
    void read(long offset, byte[] into);

    /**
     * Hints that the bytes [offset, offset + length) will be read soon, so a spilled store can page them in ahead
     * of the reads; a heap store ignores it.
     */
    default void prefetch(long offset, long length) {
    }

    /** Frees what the store holds outside the heap (a spill file); the store is unusable afterwards. */
    default void release() {
    }
}
