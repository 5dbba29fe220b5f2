package io.efftrain.trainers.network;

import io.efftrain.trainers.model.WeightableRegressionLoss;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Per-example losses from a network's output, as a pure function. */
public final class ExampleLosses {
    private static final double FLOOR = 1e-12;

    private ExampleLosses() {
    }

    /**
     * Each example's loss, unweighted, by the loss of {@code outputLayer}: a regression network's own loss against
     * the targets (labels of target and weight, see {@link WeightableRegressionLoss}), else the cross-entropy.
     */
    public static float[] of(Layer outputLayer, INDArray output, float[] labels, int classes) {
        if (outputLayer.conf().getLayer() instanceof BaseOutputLayer layer
                && layer.getLossFn() instanceof WeightableRegressionLoss loss) {
            float[] predictions = output.ravel().toFloatVector();
            float[] out = new float[predictions.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) loss.loss(predictions[i] - labels[i * 2]);
            }
            return out;
        }
        return crossEntropy(output, labels, classes);
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
