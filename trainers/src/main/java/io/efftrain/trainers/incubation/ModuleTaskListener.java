package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.budget.TrainingTime;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * Observes module tasks where they run (on the executors), after each round's checkpoint decision. Products pass
 * {@link #NONE}; tests pass one that fails a task part-way to check that it is retried from its checkpoint.
 */
@FunctionalInterface
public interface ModuleTaskListener extends Serializable {
    /** Does nothing. */
    ModuleTaskListener NONE = (module, attempt, time, directory) -> { };

    /**
     * A module task finished an averaging round (and wrote its checkpoint if one was due).
     *
     * @param module the module (stage) index
     * @param attempt 1 for the first start of this module's task, 2 for its first retry, ...
     * @param time the module's training time so far
     * @param directory the module's output directory
     */
    void roundEnded(int module, int attempt, TrainingTime time, Path directory);
}
