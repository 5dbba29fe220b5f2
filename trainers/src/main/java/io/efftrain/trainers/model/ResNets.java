package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.ModelSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.activations.Activation;

/**
 * A small ResNet (He et al., 2016) as a DL4J ComputationGraph: stem conv3x3-BN-ReLU, then stages of basic
 * blocks (conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU), global average pooling and a softmax. The
 * first block of every stage after the first has stride 2 and a conv1x1-BN projection shortcut; all others use
 * the identity. Convolutions have no bias (BatchNorm's beta plays that part).
 *
 * <p>As a {@link StagedModel}, stage s is ResNet stage s (the stem belongs to stage 0, pooling and the softmax to
 * the last); its target form has the model's blocks per stage, its meta form {@code metaBlocks}. A stage's
 * blocks are named {@code s<stage>b<block>}, so the meta form's blocks are named like the target's first blocks:
 * both have the same input and output channels and stride.
 */
public final class ResNets implements StagedModel {
    private final ModelSettings settings;
    private final int metaBlocks;
    private final InputShape input;
    private final int classes;

    /**
     * @param settings the target's shape (stem channels, stage widths, blocks per stage)
     * @param metaBlocks blocks per stage of the meta form
     */
    public ResNets(ModelSettings settings, int metaBlocks, InputShape input, int classes) {
        this.settings = settings;
        this.metaBlocks = metaBlocks;
        this.input = input;
        this.classes = classes;
    }

    static ComputationGraphConfiguration build(NeuralNetConfiguration.Builder builder, ModelSettings settings,
                                               InputShape input, int classes) {
        return StagedGraphs.uniform(builder, new ResNets(settings, 1, input, classes), StageForm.TARGET)
                .configuration();
    }

    @Override
    public int stages() {
        return settings.resnetStageChannels().size();
    }

    @Override
    public ComputationGraphConfiguration.GraphBuilder begin(NeuralNetConfiguration.Builder base) {
        return base.convolutionMode(ConvolutionMode.Same).graphBuilder().addInputs(INPUT);
    }

    @Override
    public InputType inputType() {
        return InputType.convolutionalFlat(input.rows(), input.columns(), input.channels());
    }

    @Override
    public String addStage(ComputationGraphConfiguration.GraphBuilder graph, int stage, StageForm form, String in) {
        String last = in;
        int width = stage == 0 ? settings.resnetStemChannels() : settings.resnetStageChannels().get(stage - 1);
        if (stage == 0) {
            last = convBn(graph, "stem", last, settings.resnetStemChannels(), 3, 1, true);
        }
        int channels = settings.resnetStageChannels().get(stage);
        int blocks = form == StageForm.TARGET ? settings.resnetBlocksPerStage() : metaBlocks;
        for (int b = 0; b < blocks; b++) {
            int stride = stage > 0 && b == 0 ? 2 : 1;
            last = block(graph, "s" + stage + "b" + b, last, width, channels, stride);
            width = channels;
        }
        if (stage == stages() - 1) {
            graph.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
            graph.addLayer("output", OutputLayers.of(settings, classes), "pool");
            last = "output";
        }
        return last;
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
