package io.efftrain.trainers.algorithms.freezing;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;

/**
 * Layer freezing (a model-centric efficiency technique): the first {@code layers} layers take no step until
 * {@code until} of the budget is used, then train with the rest. It runs on the workers at every minibatch, so
 * the switch happens at the exact step, inside a round, on both paths alike; it needs no state.
 *
 * <p>In a layer stack the frozen layers run forward only, in inference mode (BatchNorm uses its running
 * statistics, dropout is off), and backpropagation stops above them ({@code Network.freezeLeadingLayers}): their
 * backward pass is skipped, and the FLOPs a budget is charged drop by two forward passes of those layers per
 * example. A graph (the ResNet) still computes their gradients. Either way the frozen weights are put back after
 * each step, so they do not move at all, even where weight decay or momentum would move them.
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
