package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.Serializable;
import java.util.List;

/** Blocks held in this JVM, worked through one after another: the single-JVM training path. */
public final class LocalBlockSet implements BlockSet {
    private final List<ExampleBlock> blocks;
    private final long examples;

    public LocalBlockSet(List<ExampleBlock> blocks) {
        this.blocks = List.copyOf(blocks);
        this.examples = this.blocks.stream().mapToLong(ExampleBlock::size).sum();
    }

    @Override
    public long examples() {
        return examples;
    }

    @Override
    public int blocks() {
        return blocks.size();
    }

    @Override
    public int[] blockSizes() {
        return blocks.stream().mapToInt(ExampleBlock::size).toArray();
    }

    @Override
    public <S extends Serializable, R extends Serializable> R aggregate(S shared, BlockTask<S, R> task,
                                                                        Combiner<R> combine, R zero) {
        R result = zero;
        for (int i = 0; i < blocks.size(); i++) {
            result = combine.apply(result, task.apply(shared, i, blocks.get(i)));
        }
        return result;
    }

    @Override
    public void release() {
        blocks.forEach(ExampleBlock::release);
    }
}
