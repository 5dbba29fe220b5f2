package io.efftrain.trainers.network;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each example's loss at the forward pass of a training step, for free: DL4J hands listeners the activations
 * that enter the output layer before it back-propagates, and a softmax output layer's loss per example is one
 * small matrix product away (batch x width x classes). The alternative, a second forward pass through the whole
 * network, costs about a third of a training step; dynamic pruning needs these losses at every step.
 */
final class ForwardPassLosses extends BaseTrainingListener {
    private static final double FLOOR = 1e-12;

    private final Layer outputLayer;
    private final String outputInput;
    private float[] labels;
    private int classes;
    private float[] losses;

    /**
     * @param outputLayer the network's (softmax, dense) output layer
     * @param outputInput for a graph, the name of the vertex feeding the output layer; null for a layer stack,
     *     whose last forward activation is that input
     */
    ForwardPassLosses(Layer outputLayer, String outputInput) {
        this.outputLayer = outputLayer;
        this.outputInput = outputInput;
    }

    /** Whether the output layer is one whose loss this listener can compute (dense weights and a softmax). */
    static boolean supports(Layer outputLayer) {
        return outputLayer.conf().getLayer() instanceof BaseOutputLayer output
                && output.getActivationFn() instanceof ActivationSoftmax
                && outputLayer.getParam("W") != null;
    }

    /** Computes the losses of the next forward pass against {@code labels} (count x classes, row after row). */
    void arm(float[] labels, int classes) {
        this.labels = labels;
        this.classes = classes;
        this.losses = null;
    }

    /** The losses of the armed forward pass, then disarms. */
    float[] take() {
        float[] out = losses;
        labels = null;
        losses = null;
        if (out == null) {
            throw new IllegalStateException("DL4J did not report the forward pass of the training step");
        }
        return out;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (labels != null) {
            compute(activations.get(activations.size() - 1));
        }
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (labels != null) {
            compute(activations.get(outputInput));
        }
    }

    private void compute(INDArray input) {
        INDArray x = input.castTo(DataType.FLOAT);
        INDArray logits = x.mmul(outputLayer.getParam("W").castTo(DataType.FLOAT));
        INDArray bias = outputLayer.getParam("b");
        if (bias != null) {
            logits.addiRowVector(bias.castTo(DataType.FLOAT));
        }
        float[] z = logits.ravel().toFloatVector();
        int count = labels.length / classes;
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, z[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(z[i * classes + c] - max);
            }
            double logSum = Math.log(sum) + max;
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                float y = labels[i * classes + c];
                if (y != 0) {
                    loss -= y * Math.max(z[i * classes + c] - logSum, Math.log(FLOOR));
                }
            }
            out[i] = (float) loss;
        }
        losses = out;
    }
}
