package io.efftrain.trainers.engine;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer.Type;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime side of {@link ReluDense}. Forward: one multiply, then bias and ReLU in one pass over a Java copy
 * that the backward pass reuses as the ReLU's gate. Backward: the gated gradient, one multiply for the weight
 * gradient (written through the transposed view of DL4J's column-major gradient, as {@link ConvPoolBlockLayer}
 * does) and one for the input's.
 */
public class ReluDenseLayer extends BaseLayer<ReluDense> {
    /** Examples per strip of the bias-gradient sums: 4,000 values for the LeNet's 500 units. */
    private static final int SUM_STRIP_EXAMPLES = 8;

    private transient Buffers buffers;
    /** The input whose activations {@link #buffers} hold, or null: backward recomputes them for any other. */
    private transient INDArray forwardInput;

    /** The layer of {@code conf}'s {@link ReluDense}; DL4J's constructor signature for layer instances. */
    public ReluDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        long inputs = layerConf().getNIn();
        if (input.rank() != 2 || input.size(1) != inputs) {
            throw new IllegalArgumentException(layerId() + ": expected input of shape [examples, " + inputs + "], got "
                    + Arrays.toString(input.shape()));
        }
        int examples = HostBuffers.examples(input, Math.max(layerConf().getNIn(), layerConf().getNOut()),
                layerId());
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[] {examples, layerConf().getNOut()}, 'c');
        forward(examples, output);
        forwardInput = training ? input : null;
        return output;
    }

    /** {@code output = relu(input W + b)}, also left in {@code buffers.activated}. */
    private void forward(int examples, INDArray output) {
        Buffers b = buffers(examples);
        int values = examples * (int) layerConf().getNOut();
        Nd4j.gemm(input, getParam(DefaultParamInitializer.WEIGHT_KEY), output, false, false, 1.0, 0.0);
        float[] bias = new float[(int) layerConf().getNOut()];
        HostBuffers.read(getParam(DefaultParamInitializer.BIAS_KEY), bias, bias.length);
        ConvPoolKernels.tile(bias, b.biasRow, values);
        HostBuffers.read(output, b.activated, values);
        ConvPoolKernels.biasRelu(b.activated, b.biasRow, b.activated, values);
        HostBuffers.write(b.activated, 0, values, output);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        int examples = HostBuffers.examples(input, Math.max(layerConf().getNIn(), layerConf().getNOut()),
                layerId());
        int outputs = (int) layerConf().getNOut();
        int values = examples * outputs;
        if (forwardInput != input) {
            forward(examples, HostBuffers.leadingRows(buffers(examples).delta, examples));
        }
        forwardInput = null;
        Buffers b = buffers;
        HostBuffers.read(epsilon, b.gradient, values);
        ConvPoolKernels.reluGate(b.activated, b.gradient, values);
        float[] biasGradient = new float[outputs];
        b.channelSums.addTo(b.gradient, values, biasGradient);
        INDArray delta = HostBuffers.leadingRows(b.delta, examples);
        HostBuffers.write(b.gradient, 0, values, delta);

        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        Nd4j.gemm(delta, input, weightGradient.transpose(), true, false, 1.0, 0.0);
        INDArray biasView = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        HostBuffers.write(biasGradient, 0, outputs, biasView);
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[] {examples, layerConf().getNIn()}, 'c');
        Nd4j.gemm(delta, getParam(DefaultParamInitializer.WEIGHT_KEY), next, false, true, 1.0, 0.0);

        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasView);
        return new Pair<>(gradient, next);
    }

    @Override
    public void clear() {
        super.clear();
        forwardInput = null;
    }

    private Buffers buffers(int examples) {
        if (buffers == null || buffers.examples < examples) {
            buffers = new Buffers(examples, (int) layerConf().getNOut());
        }
        return buffers;
    }

    /** What the layer reuses from minibatch to minibatch, sized for the largest batch seen so far. */
    private static final class Buffers {
        final int examples;
        final float[] activated;
        final float[] gradient;
        final float[] biasRow;
        final ChannelSums channelSums;
        final INDArray delta;

        Buffers(int examples, int outputs) {
            this.examples = examples;
            activated = new float[examples * outputs];
            gradient = new float[examples * outputs];
            biasRow = new float[examples * outputs];
            channelSums = new ChannelSums(outputs, SUM_STRIP_EXAMPLES);
            delta = HostBuffers.detached(examples, outputs);
        }
    }
}
