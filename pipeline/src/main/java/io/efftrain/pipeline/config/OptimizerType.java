package io.efftrain.pipeline.config;

/** The update rules efftrain offers through DL4J's updaters. */
public enum OptimizerType {
    /** Plain stochastic gradient descent. */
    SGD,
    /** SGD with Nesterov momentum. */
    NESTEROVS,
    /** Adam (Kingma and Ba, 2015). */
    ADAM,
    /** LARS: momentum SGD with a per-layer-parameter trust ratio (You, Gitman and Ginsburg, 2017), for large batches. */
    LARS,
    /** LAMB: Adam moments with a per-layer-parameter trust ratio (You et al., 2019), for large batches. */
    LAMB
}
