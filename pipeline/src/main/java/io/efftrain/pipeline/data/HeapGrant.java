package io.efftrain.pipeline.data;

/**
 * Heap a block builder asks for before it grows, from whoever manages the JVM's memory. On a Spark executor that
 * is the task's memory manager, so a block being built competes fairly with the sort that feeds it (which spills to
 * make room) and spills itself when the task is refused; elsewhere every request is granted.
 */
public interface HeapGrant {
    /** A grant that refuses nothing: a JVM where the builder is the only large user of the heap. */
    HeapGrant UNLIMITED = new HeapGrant() {
        @Override
        public boolean acquire(long bytes) {
            return true;
        }

        @Override
        public void releaseAll() {
        }
    };

    /** Asks for {@code bytes} more; true when all were granted (a partial grant is returned at once). */
    boolean acquire(long bytes);

    /** Returns everything granted: the block is built (and cached as storage) or spilled. */
    void releaseAll();
}
