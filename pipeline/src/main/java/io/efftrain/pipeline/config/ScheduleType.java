package io.efftrain.pipeline.config;

/**
 * Learning-rate schedules, as functions of the fraction p of the budget used (after any warm-up).
 */
public enum ScheduleType {
    /** The base learning rate throughout. */
    CONSTANT,
    /** The base rate, divided by 10 at 50 % and again at 75 % of the budget (the classic ResNet recipe). */
    STEP,
    /** Half a cosine from the base rate to zero (Loshchilov and Hutter, 2017). */
    COSINE,
    /** Linear decay that reaches zero exactly where the budget ends (Li, Yumer and Ramanan, ICLR 2020). */
    LINEAR_TO_ZERO,
    /** Reflected exponential: (1 - p) / (1 - p/2), zero at the end (Chen et al., MLSys 2022). */
    REX,
    /** One cycle: linear rise from base/25 to base over the first 30 %, then cosine to zero (Smith, 2018). */
    ONE_CYCLE
}
