package io.efftrain.trainers.algorithms.ema;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.loop.TrainingState;

/**
 * Keeps an exponential moving average of the averaged weights, updated after every round (the decay is per
 * step, so a round of k steps decays by decay^k), and makes it the final model. The average travels in
 * checkpoints.
 *
 * <p>BatchNorm (model.type = resnet): DL4J keeps the running mean and variance among the parameters, so they are
 * averaged like the weights, as timm's model EMA averages buffers. With a decay near 1 the averaged statistics
 * trail the averaged weights slightly; they are not recomputed.
 */
public final class EmaAlgorithm implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;
    private final double decay;
    private float[] average;

    public EmaAlgorithm(double decay) {
        this.decay = decay;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return event == Event.ROUND_END || (event == Event.FIT_END && average != null);
    }

    @Override
    public void apply(Event event, TrainingState state) {
        ParameterState model = state.model();
        if (event == Event.ROUND_END) {
            if (average == null) {
                average = model.parameters().clone();
            } else {
                ExponentialAverage.update(average, model.parameters(), decay, state.plan().steps());
            }
        } else {
            state.setModel(model.withValues(average.clone(), model.updaterState(), model.iteration()));
        }
    }
}
