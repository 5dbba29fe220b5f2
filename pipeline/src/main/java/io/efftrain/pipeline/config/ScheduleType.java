package io.efftrain.pipeline.config;

/** Learning-rate schedules, as functions of the fraction of the budget used. */
public enum ScheduleType {
    /** The base learning rate throughout. */
    CONSTANT,
    /** Linear decay that reaches zero exactly where the budget ends (Li, Yumer and Ramanan, ICLR 2020). */
    LINEAR_TO_ZERO
}
