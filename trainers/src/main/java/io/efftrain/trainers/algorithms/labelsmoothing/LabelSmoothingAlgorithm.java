package io.efftrain.trainers.algorithms.labelsmoothing;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;

/** Smooths every minibatch's labels before the forward pass. */
public final class LabelSmoothingAlgorithm implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private final double epsilon;

    public LabelSmoothingAlgorithm(double epsilon) {
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label smoothing needs 0 < epsilon < 1, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    @Override
    public boolean match(Event event, MinibatchState state) {
        return event == Event.BATCH_START;
    }

    @Override
    public void apply(Event event, MinibatchState state) {
        LabelSmoothing.apply(state.labels(), state.count(), state.classes(), epsilon);
    }
}
