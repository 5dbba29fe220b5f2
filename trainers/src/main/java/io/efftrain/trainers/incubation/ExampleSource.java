package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.Serializable;

/**
 * Where a module task gets its training examples: called on the executor that runs the task, so the data is read
 * there and never passes through the driver. The jobs module supplies one that reads the canonical table.
 */
@FunctionalInterface
public interface ExampleSource extends Serializable {
    /** All training examples, as one block. */
    ExampleBlock load();
}
