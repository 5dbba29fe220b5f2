package io.efftrain.pipeline.config;

/**
 * The floating-point type a network computes in (DL4J's network data type). There is no bfloat16: DL4J
 * 1.0.0-M2.1 networks refuse any type but double, float and half.
 */
public enum Precision {
    /** 32-bit IEEE floats: the default, and the fast path of ND4J's CPU backend. */
    FLOAT32,
    /** 16-bit IEEE half floats: half the memory; on the CPU backend computed without hardware support. */
    FLOAT16
}
