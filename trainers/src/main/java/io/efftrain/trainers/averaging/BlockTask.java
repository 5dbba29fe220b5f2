package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.Serializable;

/**
 * Work done on one block of examples, where the block lives (a Spark executor, or this JVM).
 *
 * @param <S> what every block's task reads (broadcast once, not shipped per task)
 * @param <R> the result, combined over blocks
 */
@FunctionalInterface
public interface BlockTask<S, R> extends Serializable {
    /**
     * @param shared the broadcast value
     * @param blockIndex the block's index, stable for the life of the block set (a worker's identity)
     * @param block the examples
     */
    R apply(S shared, int blockIndex, ExampleBlock block);
}
