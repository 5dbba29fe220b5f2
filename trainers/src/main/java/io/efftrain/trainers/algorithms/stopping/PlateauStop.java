package io.efftrain.trainers.algorithms.stopping;

import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.loop.TrainingState;

/**
 * Stops training when accuracy has not reached a new best for {@code patience} evaluations in a row. Its state
 * (the best so far and the count since) travels in checkpoints, so a resumed run keeps counting.
 */
public final class PlateauStop implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;
    private final long patience;
    private double best = Double.NaN;
    private long sinceBest;

    public PlateauStop(long patience) {
        this.patience = patience;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return event == Event.EVAL_END && state.lastEvaluation().isPresent();
    }

    @Override
    public void apply(Event event, TrainingState state) {
        double accuracy = state.lastEvaluation().orElseThrow().accuracy();
        sinceBest = StoppingRules.evaluationsSinceBest(best, sinceBest, accuracy);
        if (sinceBest == 0) {
            best = accuracy;
        }
        if (sinceBest >= patience) {
            state.requestStop(StopReason.PLATEAU);
        }
    }
}
