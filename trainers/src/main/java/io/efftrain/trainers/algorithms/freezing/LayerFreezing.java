package io.efftrain.trainers.algorithms.freezing;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;

/**
 * Layer freezing (a model-centric efficiency technique): the first {@code layers} layers take no step until
 * {@code until} of the budget is used, then train with the rest. It runs on the workers at every minibatch, so
 * the switch happens at the exact step, inside a round, on both paths alike; it needs no state.
 *
 * <p>The frozen weights are restored after each step, so they do not move at all; their gradients are still
 * computed (DL4J's FrozenLayer would skip them but changes the parameter and updater layout the averaging relies
 * on), so this saves no compute on its own. Their updater state (momentum, Adam moments) keeps following their
 * gradients, and BatchNorm running statistics of frozen layers keep updating.
 */
public final class LayerFreezing implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private final int layers;
    private final double until;

    public LayerFreezing(int layers, double until) {
        this.layers = layers;
        this.until = until;
    }

    /** Whether the layers are frozen at budget fraction {@code used}. */
    public static boolean frozen(double used, double until) {
        return used < until;
    }

    @Override
    public boolean match(Event event, MinibatchState state) {
        return event == Event.BATCH_START && frozen(state.budgetUsed(), until);
    }

    @Override
    public void apply(Event event, MinibatchState state) {
        state.freezeFirstLayers(layers);
    }
}
