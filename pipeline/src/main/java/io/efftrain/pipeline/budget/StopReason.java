package io.efftrain.pipeline.budget;

/** Why training stopped; recorded in the run summary. */
public enum StopReason {
    /** The epoch limit of the budget was reached. */
    EPOCHS,
    /** The step limit of the budget was reached. */
    STEPS,
    /** The sample limit of the budget was reached. */
    SAMPLES,
    /** The wall-clock limit of the budget was reached. */
    WALL_CLOCK,
    /** The estimated-FLOPs limit of the budget was reached. */
    FLOPS,
    /** The evaluation metric reached the configured target. */
    TARGET_REACHED,
    /** The evaluation metric stopped improving for the configured patience. */
    PLATEAU,
    /** The process was asked to terminate (SIGTERM); training stopped at a round boundary with a checkpoint. */
    TERMINATED
}
