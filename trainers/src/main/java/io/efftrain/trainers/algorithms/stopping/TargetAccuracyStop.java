package io.efftrain.trainers.algorithms.stopping;

import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.loop.TrainingState;

/** Stops training at the first evaluation whose accuracy reaches the target. */
public final class TargetAccuracyStop implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;
    private final double target;

    public TargetAccuracyStop(double target) {
        this.target = target;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return event == Event.EVAL_END && state.lastEvaluation().isPresent();
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (StoppingRules.targetReached(state.lastEvaluation().orElseThrow().accuracy(), target)) {
            state.requestStop(StopReason.TARGET_REACHED);
        }
    }
}
