package io.efftrain.trainers.algorithms.lamb;

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
    static final String M = "M";
    static final String V = "V";
    private final Lamb config;
    private INDArray m;
    private INDArray v;

    LambUpdater(Lamb config) {
        this.config = config;
    }

    @Override
    public Lamb getConfig() {
        return config;
    }

    @Override
    public void setState(Map<String, INDArray> state, boolean initialize) {
        m = state.get(M);
        v = state.get(V);
        if (m == null || v == null) {
            throw new IllegalStateException("LAMB state needs " + M + " and " + V + ": " + state.keySet());
        }
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
    }

    @Override
    public Map<String, INDArray> getState() {
        return Map.of(M, m, V, v);
    }

    @Override
    public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        long half = viewArray.length() / 2;
        INDArray flat = viewArray.reshape(viewArray.length());
        m = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, half));
        v = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(half, 2 * half));
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray g = gradient.reshape(gradient.length());
        double b1 = config.beta1();
        double b2 = config.beta2();
        m.muli(b1).addi(g.mul(1 - b1));
        v.muli(b2).addi(g.mul(g).muli(1 - b2));
        int t = iteration + 1;
        double mCorrection = 1 - Math.pow(b1, t);
        double vCorrection = 1 - Math.pow(b2, t);
        INDArray denominator = Transforms.sqrt(v.div(vCorrection), false).addi(config.epsilon());
        g.assign(m.div(mCorrection).divi(denominator).muli(config.getLearningRate(iteration, epoch)));
    }
}
