package io.efftrain.trainers.loop;

import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.ParameterState;

/** Evaluates a model on held-out examples, wherever they live. */
@FunctionalInterface
public interface Evaluator {
    EvaluationCounts evaluate(ParameterState model);
}
