package io.efftrain.trainers.model;

import io.efftrain.trainers.engine.ConvPoolBlock;
import io.efftrain.trainers.model.vit.ForwardFlops;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * Estimates the floating-point operations of training one example: the multiply-adds of convolutions and
 * dense layers (2 FLOPs each) in the forward pass (a layer that counts its own, {@link ForwardFlops}, such as the
 * Vision Transformer's patch embedding and blocks with their attention products, says so itself), times 3 for forward plus backward (gradients with respect to
 * activations and to weights cost about one forward pass each). Activations, pooling, BatchNorm and the update are
 * left out: they are a few percent for the networks efftrain ships.
 */
public final class FlopEstimator {
    /** Training FLOPs of an example over its forward-pass FLOPs: forward, activation gradients, weight gradients. */
    public static final double TRAINING_PER_FORWARD = 3;

    private FlopEstimator() {
    }

    /** Training FLOPs per example of either kind of network. */
    public static double trainingFlopsPerExample(NetworkSpec spec, InputType input) {
        return TRAINING_PER_FORWARD * switch (spec.kind()) {
            case STACK -> forwardFlopsPerExample(MultiLayerConfiguration.fromJson(spec.json()), input);
            case GRAPH -> forwardFlopsPerExample(ComputationGraphConfiguration.fromJson(spec.json()), input);
        };
    }

    /** Training FLOPs per example. */
    public static double trainingFlopsPerExample(MultiLayerConfiguration conf, InputType input) {
        return TRAINING_PER_FORWARD * forwardFlopsPerExample(conf, input);
    }

    /** Forward-pass FLOPs per example. */
    public static double forwardFlopsPerExample(MultiLayerConfiguration conf, InputType input) {
        return leadingForwardFlopsPerExample(conf, input, conf.getConfs().size());
    }

    /** Forward-pass FLOPs per example of the first {@code layers} layers. */
    public static double leadingForwardFlopsPerExample(MultiLayerConfiguration conf, InputType input, int layers) {
        List<InputType> outputs = conf.getLayerActivationTypes(input);
        double flops = 0;
        for (int i = 0; i < Math.min(layers, conf.getConfs().size()); i++) {
            flops += layerFlops(conf.getConf(i).getLayer(), outputs.get(i));
        }
        return flops;
    }

    /** Forward-pass FLOPs per example of a graph. */
    public static double forwardFlopsPerExample(ComputationGraphConfiguration conf, InputType input) {
        Map<String, InputType> outputs = conf.getLayerActivationTypes(input);
        double flops = 0;
        for (Map.Entry<String, GraphVertex> vertex : conf.getVertices().entrySet()) {
            if (vertex.getValue() instanceof LayerVertex layer) {
                flops += layerFlops(layer.getLayerConf().getLayer(), outputs.get(vertex.getKey()));
            }
        }
        return flops;
    }

    private static double layerFlops(Layer layer, InputType output) {
        if (layer instanceof ForwardFlops counted) {
            return counted.forwardFlopsPerExample();
        }
        if (layer instanceof ConvPoolBlock block) {
            return 2.0 * block.geometry().multiplyAddsPerExample();
        }
        if (layer instanceof ConvolutionLayer conv) {
            InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) output;
            int[] k = conv.getKernelSize();
            return 2.0 * out.getHeight() * out.getWidth() * k[0] * k[1] * conv.getNIn() * conv.getNOut();
        }
        if (layer instanceof FeedForwardLayer dense && !(layer instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization)) {
            return 2.0 * dense.getNIn() * dense.getNOut();
        }
        return 0;
    }
}
