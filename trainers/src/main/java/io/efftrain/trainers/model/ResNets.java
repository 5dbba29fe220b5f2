package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.ModelSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * A small ResNet (He et al., 2016) as a DL4J ComputationGraph: stem conv3x3-BN-ReLU, then stages of basic
 * blocks (conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU), global average pooling and a softmax. The
 * first block of every stage after the first has stride 2 and a conv1x1-BN projection shortcut; all others use
 * the identity. Convolutions have no bias (BatchNorm's beta plays that part).
 */
final class ResNets {
    private ResNets() {
    }

    static ComputationGraphConfiguration build(NeuralNetConfiguration.Builder builder, ModelSettings settings,
                                               InputShape input, int classes) {
        ComputationGraphConfiguration.GraphBuilder graph = builder.convolutionMode(ConvolutionMode.Same)
                .graphBuilder().addInputs("input");
        String last = convBn(graph, "stem", "input", settings.resnetStemChannels(), 3, 1, true);
        int width = settings.resnetStemChannels();
        for (int s = 0; s < settings.resnetStageChannels().size(); s++) {
            int channels = settings.resnetStageChannels().get(s);
            for (int b = 0; b < settings.resnetBlocksPerStage(); b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                last = block(graph, "s" + s + "b" + b, last, width, channels, stride);
                width = channels;
            }
        }
        graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        graph.addLayer("output", new OutputLayer.Builder(new WeightableCrossEntropy())
                .nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "pool");
        graph.setOutputs("output");
        graph.setInputTypes(Models.inputType(settings, input));
        return graph.build();
    }

    private static String block(ComputationGraphConfiguration.GraphBuilder graph, String name, String in, int inChannels,
                                int channels, int stride) {
        String a = convBn(graph, name + "a", in, channels, 3, stride, true);
        String b = convBn(graph, name + "b", a, channels, 3, 1, false);
        String shortcut = stride == 1 && inChannels == channels ? in
                : convBn(graph, name + "proj", in, channels, 1, stride, false);
        graph.addVertex(name + "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), b, shortcut);
        graph.addLayer(name + "relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "add");
        return name + "relu";
    }

    /** conv (no bias) then BatchNorm, then ReLU if asked; returns the last vertex's name. */
    private static String convBn(ComputationGraphConfiguration.GraphBuilder graph, String name, String in,
                                 int channels, int kernel, int stride, boolean relu) {
        graph.addLayer(name + "conv", new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride)
                .nOut(channels).hasBias(false).activation(Activation.IDENTITY).build(), in);
        graph.addLayer(name + "bn", new BatchNormalization.Builder().build(), name + "conv");
        if (!relu) {
            return name + "bn";
        }
        graph.addLayer(name + "relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), name + "bn");
        return name + "relu";
    }
}
