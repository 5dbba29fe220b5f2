package io.efftrain.trainers.model;

import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Estimates the floating-point operations of training one example: the multiply-adds of convolutions and
 * dense layers (2 FLOPs each) in the forward pass, times 3 for forward plus backward (gradients with respect to
 * activations and to weights cost about one forward pass each). Activations, pooling and the update are left
 * out: they are a few percent for the networks efftrain ships.
 */
public final class FlopEstimator {
    private FlopEstimator() {
    }

    /** Training FLOPs per example. */
    public static double trainingFlopsPerExample(MultiLayerConfiguration conf, InputType input) {
        return 3 * forwardFlopsPerExample(conf, input);
    }

    /** Forward-pass FLOPs per example. */
    public static double forwardFlopsPerExample(MultiLayerConfiguration conf, InputType input) {
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        double flops = 0;
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            if (layer instanceof ConvolutionLayer conv) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(i);
                int[] k = conv.getKernelSize();
                flops += 2.0 * out.getHeight() * out.getWidth() * k[0] * k[1] * conv.getNIn() * conv.getNOut();
            } else if (layer instanceof FeedForwardLayer dense) {
                flops += 2.0 * dense.getNIn() * dense.getNOut();
            }
        }
        return flops;
    }
}
