package io.efftrain.trainers.algorithms.lamb;

import io.efftrain.trainers.engine.AdamMoments;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * LAMB's moment half: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, and the gradient becomes lr times the
 * bias-corrected Adam direction m^/(sqrt(v^) + eps). {@link LambTrustRatio} then rescales it per parameter; a
 * parameter DL4J runs no regularization on (BatchNorm's gamma and beta) keeps this plain Adam step.
 */
public final class LambUpdater implements GradientUpdater<Lamb> {
    private final Lamb config;
    private final AdamMoments moments = new AdamMoments("LAMB");

    LambUpdater(Lamb config) {
        this.config = config;
    }

    @Override
    public Lamb getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        moments.setState(state, initialize);
    }

    @Override
    public Map<String, INDArray> getState() {
        return moments.getState();
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        moments.setStateViewArray(viewArray, initialize);
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray g = gradient.reshape(gradient.length());
        double b1 = config.beta1();
        double b2 = config.beta2();
        moments.m().muli(b1).addi(g.mul(1 - b1));
        moments.v().muli(b2).addi(g.mul(g).muli(1 - b2));
        int t = iteration + 1;
        double mCorrection = 1 - Math.pow(b1, t);
        double vCorrection = 1 - Math.pow(b2, t);
        INDArray denominator = Transforms.sqrt(moments.v().div(vCorrection), false).addi(config.epsilon());
        g.assign(moments.m().div(mCorrection).divi(denominator).muli(config.getLearningRate(iteration, epoch)));
    }
}
