package io.efftrain.trainers.algorithms.lars;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * LARS's momentum step on an already trust-scaled gradient g: v = momentum v + lr g; the update (which DL4J
 * subtracts from the weights) is v.
 */
public final class LarsUpdater implements GradientUpdater<Lars> {
    static final String VELOCITY = "V";
    private final Lars config;
    private INDArray velocity;

    LarsUpdater(Lars config) {
        this.config = config;
    }

    @Override
    public Lars getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        velocity = state.get(VELOCITY);
        if (velocity == null) {
            throw new IllegalStateException("LARS state has no " + VELOCITY + " array: " + state.keySet());
        }
        if (initialize) {
            velocity.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of(VELOCITY, velocity);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        // Flat, like the gradient DL4J passes: both are contiguous views of one block.
        velocity = viewArray.reshape(viewArray.length());
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        double rate = config.getLearningRate(iteration, epoch);
        INDArray g = gradient.reshape(gradient.length());
        velocity.muli(config.momentum()).addi(g.mul(rate));
        g.assign(velocity);
    }
}
