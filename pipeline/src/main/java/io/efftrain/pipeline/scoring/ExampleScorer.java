package io.efftrain.pipeline.scoring;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.Serializable;

/**
 * Scores every example of a block with a fixed model, where the block lives (inside a Spark task): the
 * contract between the modules that own models (trainers) and those that decide which examples to keep
 * (sampling), so neither depends on the other. Implementations are broadcast once and used by many tasks.
 */
public interface ExampleScorer extends Serializable {
    /** Scores the block's examples, in block order. */
    ExampleScores score(ExampleBlock block);
}
