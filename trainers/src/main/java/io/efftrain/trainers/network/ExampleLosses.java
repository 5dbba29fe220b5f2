package io.efftrain.trainers.network;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-example losses from a network's output, as a pure function. */
public final class ExampleLosses {
    private static final double FLOOR = 1e-12;

    private ExampleLosses() {
    }

    /**
     * The cross-entropy of each row of {@code probabilities} (count x classes) against the label distributions
     * {@code labels} (row after row): -sum_c y_c log p_c, with p floored at 1e-12 so
     * a confidently wrong example has a large, finite loss.
     */
    public static float[] crossEntropy(INDArray probabilities, float[] labels, int classes) {
        float[] p = probabilities.ravel().toFloatVector();
        int count = labels.length / classes;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                float y = labels[i * classes + c];
                if (y != 0) {
                    loss -= y * Math.log(Math.max(p[i * classes + c], FLOOR));
                }
            }
            out[i] = (float) loss;
        }
        return out;
    }
}
