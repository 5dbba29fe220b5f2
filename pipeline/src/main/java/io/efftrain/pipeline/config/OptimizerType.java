package io.efftrain.pipeline.config;

/** The update rules efftrain offers through DL4J's updaters. */
public enum OptimizerType {
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with Nesterov momentum. */
    NESTEROVS,
    /** Adam (Kingma and Ba, 2015). */
    ADAM
}
