package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;
import java.util.List;

/**
 * Keeps the named layers' parameters (BatchNorm statistics included) unchanged at every step while gradients
 * still flow through them: in a Deep Incubation hybrid, every layer outside the incubated stage. The frozen
 * layers' weight gradients are still computed (DL4J's FrozenLayerWithBackprop would skip them, but its BatchNorm
 * handling and parameter layout differ from the meta model's); the meta stages are small, so this costs little.
 */
public final class HoldLayers implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private final List<String> layers;

    public HoldLayers(List<String> layers) {
        this.layers = List.copyOf(layers);
    }

    @Override
    public boolean match(Event event, MinibatchState state) {
        return event == Event.BATCH_START;
    }

    @Override
    public void apply(Event event, MinibatchState state) {
        state.holdLayers(layers);
    }
}
