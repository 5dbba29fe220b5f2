package io.efftrain.trainers.averaging;

import java.io.Serializable;
import java.util.function.BinaryOperator;

/** An associative combination of block results that can travel to Spark executors. */
@FunctionalInterface
public interface Combiner<R> extends BinaryOperator<R>, Serializable {
}
