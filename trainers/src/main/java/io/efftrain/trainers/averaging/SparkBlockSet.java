package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.LoggerFactory;

/**
 * Blocks cached on Spark executors, one per partition. Each {@link #aggregate} call broadcasts the shared value
 * (the model), runs one task per partition ({@code mapPartitionsWithIndex}) and sums the results with
 * {@code treeAggregate}, so partial sums are combined on the executors and the driver receives a few, not one
 * per worker.
 */
public final class SparkBlockSet implements BlockSet {
    private final JavaRDD<ExampleBlock> blocks;
    private final long examples;
    private final int partitions;
    private final int[] blockSizes;
    private final long spilledBytes;
    private final long storedBytes;
    private final int spilledBlocks;

    /**
     * Caches {@code blocks} on the executors and counts them (one pass over the data). A block on the heap is
     * cached in memory (serialised to disk under memory pressure); a spilled block's cached value is its labels
     * and the name of its spill file, which stays where it was written.
     */
    public SparkBlockSet(JavaRDD<ExampleBlock> blocks) {
        this.blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        this.partitions = blocks.getNumPartitions();
        // An empty partition has no block but still gets a worker index, so its size is 0.
        this.blockSizes = new int[partitions];
        long[] spilled = new long[partitions];
        long[] stored = new long[partitions];
        this.blocks.mapPartitionsWithIndex((index, it) -> {
            ExampleBlock block = it.hasNext() ? it.next() : null;
            return List.of(new long[] {index, block == null ? 0 : block.size(),
                    block == null ? 0 : block.storedBytes(), block != null && block.spilled() ? 1 : 0}).iterator();
        }, true).collect().forEach(row -> {
            blockSizes[(int) row[0]] = (int) row[1];
            stored[(int) row[0]] = row[2];
            spilled[(int) row[0]] = row[3] == 1 ? row[2] : 0;
        });
        this.examples = java.util.Arrays.stream(blockSizes).asLongStream().sum();
        this.spilledBytes = java.util.Arrays.stream(spilled).sum();
        this.storedBytes = java.util.Arrays.stream(stored).sum();
        this.spilledBlocks = (int) java.util.Arrays.stream(spilled).filter(b -> b > 0).count();
        if (spilledBytes > 0) {
            LoggerFactory.getLogger(SparkBlockSet.class).info("{} examples in {} blocks, {} MB of features: {} MB "
                    + "spilled to the executors' local disks (above data.feed.memory-mb per block), read through "
                    + "memory maps", examples, partitions, storedBytes >> 20, spilledBytes >> 20);
        }
    }

    /**
     * Where the training features live, for a run's summary: blocks, encoded megabytes, how many blocks and
     * megabytes spilled to local disk.
     */
    public java.util.Map<String, Object> feedSummary() {
        java.util.Map<String, Object> feed = new java.util.LinkedHashMap<>();
        feed.put("blocks", partitions);
        feed.put("feature_mb", storedBytes / 1e6);
        feed.put("spilled_blocks", spilledBlocks);
        feed.put("spilled_mb", spilledBytes / 1e6);
        return feed;
    }

    @Override
    public long examples() {
        return examples;
    }

    @Override
    public int blocks() {
        return partitions;
    }

    @Override
    public int[] blockSizes() {
        return blockSizes.clone();
    }

    @Override
    public <S extends Serializable, R extends Serializable> R aggregate(S shared, BlockTask<S, R> task,
                                                                        Combiner<R> combine, R zero) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(blocks.context());
        Broadcast<S> broadcast = jsc.broadcast(shared);
        try {
            int depth = partitions > 8 ? 3 : 2;
            return blocks.mapPartitionsWithIndex(new RunOnBlock<>(broadcast, task), true)
                    .treeAggregate(zero, combine::apply, combine::apply, depth);
        } finally {
            broadcast.destroy();
        }
    }

    @Override
    public void release() {
        if (spilledBytes > 0) {
            // Only a spilled block holds anything outside Spark's cache; a block that was evicted is rebuilt and
            // released at once, which costs a pass but leaves no file behind.
            blocks.foreachPartition(it -> it.forEachRemaining(ExampleBlock::release));
        }
        blocks.unpersist(false);
    }

    /** The task body: the partition's single block, the broadcast value, one result. */
    private static final class RunOnBlock<S, R>
            implements org.apache.spark.api.java.function.Function2<Integer, Iterator<ExampleBlock>, Iterator<R>> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<S> shared;
        private final BlockTask<S, R> task;

        RunOnBlock(Broadcast<S> shared, BlockTask<S, R> task) {
            this.shared = shared;
            this.task = task;
        }

        @Override
        public Iterator<R> call(Integer index, Iterator<ExampleBlock> blocks) {
            if (!blocks.hasNext()) {
                return Collections.emptyIterator();
            }
            return List.of(task.apply(shared.value(), index, blocks.next())).iterator();
        }
    }
}
