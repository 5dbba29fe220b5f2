package io.efftrain.datasets.feed;

import io.efftrain.pipeline.data.HeapGrant;
import org.apache.spark.TaskContext;
import org.apache.spark.memory.MemoryConsumer;
import org.apache.spark.memory.MemoryMode;
import org.apache.spark.memory.TaskMemoryManager;

/**
 * A block builder's heap, taken from the Spark task's execution memory. The builder reads rows from Spark's
 * sort, which holds up to the task's share of that memory until its last row; without asking, builder and sort
 * together overran a 256 MB heap. Asking makes Spark spill the sort (or refuse), and a refused builder spills its
 * block to disk. What was granted is returned when the block is complete: the cached block then counts as storage.
 */
final class SparkTaskGrant extends MemoryConsumer implements HeapGrant {
    private SparkTaskGrant(TaskMemoryManager manager) {
        super(manager, manager.pageSizeBytes(), MemoryMode.ON_HEAP);
    }

    /** The running task's grant, or {@link HeapGrant#UNLIMITED} outside a Spark task. */
    static HeapGrant forCurrentTask() {
        TaskContext task = TaskContext.get();
        return task == null ? HeapGrant.UNLIMITED : new SparkTaskGrant(task.taskMemoryManager());
    }

    @Override
    public boolean acquire(long bytes) {
        long got = acquireMemory(bytes);
        if (got < bytes) {
            freeMemory(got);
            return false;
        }
        return true;
    }

    @Override
    public void releaseAll() {
        if (getUsed() > 0) {
            freeMemory(getUsed());
        }
    }

    @Override
    public long spill(long size, MemoryConsumer trigger) {
        // The builder spills on its own terms (when refused), never from another consumer's thread.
        return 0;
    }
}
