package io.efftrain.pipeline.config;

/** The floating-point type a network computes in (DL4J's network data type). */
public enum Precision {
    /** 32-bit IEEE floats: the default, and the fast path of ND4J's CPU backend. */
    FLOAT32,
    /** 16-bit IEEE half floats: half the memory; on the CPU backend computed without hardware support. */
    FLOAT16,
    /** bfloat16: float32's exponent range with 8 bits of mantissa. */
    BFLOAT16
}
