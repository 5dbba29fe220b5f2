package io.efftrain.trainers.engine;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;

/**
 * Adam's step for one updater block: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, and the gradient becomes
 * alpha_t m / (sqrt(v) + eps) with alpha_t = lr sqrt(1 - b2^t) / (1 - b1^t), t = iteration + 1, exactly as
 * libnd4j's adam_updater (including its fallback to eps when alpha_t is not a usable number). The moments stay in
 * DL4J's state view, so they are averaged, broadcast and checkpointed as before; the loop copies them and the
 * gradient to Java arrays and back in bulk.
 */
final class HostAdamUpdater implements GradientUpdater<HostAdam> {
    private final HostAdam config;
    private final AdamMoments moments = new AdamMoments("Adam");
    private float[] gradientValues;
    private float[] mValues;
    private float[] vValues;

    HostAdamUpdater(HostAdam config) {
        this.config = config;
    }

    @Override
    public HostAdam getConfig() {
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
        int n = (int) gradient.length();
        if (gradientValues == null || gradientValues.length != n) {
            gradientValues = new float[n];
            mValues = new float[n];
            vValues = new float[n];
        }
        HostBuffers.read(gradient, gradientValues, n);
        HostBuffers.read(moments.m(), mValues, n);
        HostBuffers.read(moments.v(), vValues, n);
        double beta1 = config.getBeta1();
        double beta2 = config.getBeta2();
        double rate = config.getLearningRate(iteration, epoch);
        double alpha = rate * Math.sqrt(1 - Math.pow(beta2, iteration + 1)) / (1 - Math.pow(beta1, iteration + 1));
        if (!Double.isFinite(alpha) || alpha == 0) {
            alpha = config.getEpsilon();
        }
        step(gradientValues, mValues, vValues, n, (float) beta1, (float) beta2, (float) alpha,
                (float) config.getEpsilon());
        HostBuffers.write(mValues, 0, n, moments.m());
        HostBuffers.write(vValues, 0, n, moments.v());
        HostBuffers.write(gradientValues, 0, n, gradient);
    }

    /** The element-wise update; one loop over equally indexed arrays, so C2 vectorises it. */
    static void step(float[] g, float[] m, float[] v, int n, float beta1, float beta2, float alpha, float epsilon) {
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        for (int j = 0; j < n; j++) {
            float gradient = g[j];
            float first = beta1 * m[j] + gradient * oneMinusBeta1;
            float second = beta2 * v[j] + gradient * gradient * oneMinusBeta2;
            m[j] = first;
            v[j] = second;
            g[j] = first * alpha / ((float) Math.sqrt(second) + epsilon);
        }
    }
}
