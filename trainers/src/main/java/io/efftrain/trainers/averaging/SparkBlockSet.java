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

    /** Caches {@code blocks} in executor memory and counts them (one pass over the data). */
    public SparkBlockSet(JavaRDD<ExampleBlock> blocks) {
        this.blocks = blocks.persist(StorageLevel.MEMORY_AND_DISK());
        this.partitions = blocks.getNumPartitions();
        // An empty partition has no block but still gets a worker index, so its size is 0.
        this.blockSizes = new int[partitions];
        this.blocks.mapPartitionsWithIndex((index, it) -> {
            int size = it.hasNext() ? it.next().size() : 0;
            return List.of(new int[] {index, size}).iterator();
        }, true).collect().forEach(pair -> blockSizes[pair[0]] = pair[1]);
        this.examples = java.util.Arrays.stream(blockSizes).asLongStream().sum();
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
