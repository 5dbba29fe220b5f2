package io.efftrain.trainers.algorithms.swa;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.loop.TrainingState;

/**
 * Stochastic weight averaging (Izmailov et al., 2018): once {@code start} of the budget is used, the weights
 * after every round join an equal-weight mean, which becomes the final model. The mean travels in checkpoints.
 *
 * <p>BatchNorm (model.type = resnet): DL4J keeps the running mean and variance among the parameters, so they are
 * averaged with the weights. That approximates, and does not replace, the pass over the training data with
 * which Izmailov et al. recompute the statistics for the averaged weights (not implemented).
 */
public final class SwaAlgorithm implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;
    private final double start;
    private float[] mean;
    private long count;

    public SwaAlgorithm(double start) {
        this.start = start;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return (event == Event.ROUND_END && state.budgetUsed() >= start) || (event == Event.FIT_END && mean != null);
    }

    @Override
    public void apply(Event event, TrainingState state) {
        ParameterState model = state.model();
        if (event == Event.ROUND_END) {
            count++;
            if (mean == null) {
                mean = model.parameters().clone();
            } else {
                RunningMean.add(mean, model.parameters(), count);
            }
        } else {
            state.setModel(model.withValues(mean.clone(), model.updaterState(), model.iteration()));
        }
    }

    /** Rounds averaged so far. */
    public long averaged() {
        return count;
    }
}
