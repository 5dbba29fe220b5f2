package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * What every worker starts a round from: the model's parameters, its updater state (momentum, Adam moments)
 * and DL4J's iteration counter. Plain float arrays, because they are broadcast every round and Java
 * serialisation of a float[] is a straight copy.
 *
 * @param parameters all parameters, flattened in DL4J's order
 * @param updaterState the updater's state, flattened (empty for plain SGD)
 * @param iteration DL4J's iteration count (Adam's bias correction depends on it)
 * @param layout the layers the flat arrays belong to ({@link NetworkState#layout}): the same parameter count
 *     in another layout (DL4J's convolution layers against efftrain's fast CPU blocks) would load scrambled
 */
public record ParameterState(float[] parameters, float[] updaterState, long iteration, String layout)
        implements Serializable {

    /** The same network's state with new values, as averaging (or SWA, EMA) produces it. */
    public ParameterState withValues(float[] newParameters, float[] newUpdaterState, long newIteration) {
        return new ParameterState(newParameters, newUpdaterState, newIteration, layout);
    }
}
