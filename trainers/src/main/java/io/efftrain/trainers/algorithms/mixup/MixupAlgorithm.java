package io.efftrain.trainers.algorithms.mixup;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;
import java.util.SplittableRandom;

/** Applies mixup to every minibatch, with lambda drawn from Beta(alpha, alpha) per minibatch. */
public final class MixupAlgorithm implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private static final long SALT = 0x6d69787570L;
    private final double alpha;

    public MixupAlgorithm(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("mixup needs alpha > 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    @Override
    public boolean match(Event event, MinibatchState state) {
        return event == Event.BATCH_START && state.count() > 1;
    }

    @Override
    public void apply(Event event, MinibatchState state) {
        SplittableRandom random = state.random(SALT);
        double lambda = BetaSampler.symmetric(alpha, random);
        Mixup.apply(state.features(), state.labels(), state.count(), state.featureSize(), state.classes(), lambda,
                Mixup.partners(state.count(), random));
    }
}
