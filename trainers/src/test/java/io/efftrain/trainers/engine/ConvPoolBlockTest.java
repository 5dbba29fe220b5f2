package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.model.InputShape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The convolution + max-pool + ReLU block against a direct convolution written out loop by loop (in double), for
 * the output and all three gradients; batches of one chunk and of several; channel-major input; and the block
 * inside a whole network (save and restore, FLOP count, the same model as DL4J's layers).
 */
class ConvPoolBlockTest {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();
    /** A narrow patch (27 values): each patch-matrix row covers a whole pooling window. */
    private static final ConvPoolGeometry G = new ConvPoolGeometry(8, 10, 3, 3, 4, 2);
    /** A wide patch (72 values) of a 3 x 3 kernel: a patch-matrix row per convolution output. */
    private static final ConvPoolGeometry WIDE = new ConvPoolGeometry(8, 10, 8, 3, 4, 2);
    /** A wide patch (75 values) of a 5 x 5 kernel, as the LeNet's second block: a row per pooling window again. */
    private static final ConvPoolGeometry WIDE_FIVE = new ConvPoolGeometry(10, 10, 3, 5, 4, 2);

    static Stream<Arguments> batchesAndLayouts() {
        return Stream.of(Arguments.of(5, G), Arguments.of(ConvPoolBlockLayer.CHUNK + 3, G),
                Arguments.of(5, WIDE), Arguments.of(ConvPoolBlockLayer.CHUNK + 3, WIDE), Arguments.of(5, WIDE_FIVE),
                // a chunk of 9,216 pooled values: whole pooling strips and a part of one
                Arguments.of(ConvPoolBlockLayer.CHUNK + 3, WIDE_FIVE));
    }

    @Test
    void theTestGeometriesCoverBothPatchLayouts() {
        assertTrue(G.patchPerPoolWindow() && G.patchMatrixColumns() == 4 * 4 * 3 && G.productColumns() == 16);
        assertFalse(WIDE.patchPerPoolWindow());
        assertEquals(WIDE.patchSize(), WIDE.patchMatrixColumns());
        assertTrue(WIDE_FIVE.patchSize() >= ConvPoolGeometry.WIDE_PATCH && WIDE_FIVE.patchPerPoolWindow());
        assertEquals(6 * 6 * 3, WIDE_FIVE.patchMatrixColumns());
        assertTrue(new ConvPoolGeometry(12, 12, 20, 5, 50, 2).patchPerPoolWindow(), "the LeNet's second block");
        assertFalse(new ConvPoolGeometry(12, 12, 20, 5, 50, 1).patchPerPoolWindow(), "no pooling, no window");
        int chunkValues = ConvPoolBlockLayer.CHUNK * WIDE_FIVE.outputSize();
        assertTrue(chunkValues > ConvPoolBlockLayer.STRIP_VALUES && chunkValues % ConvPoolBlockLayer.STRIP_VALUES != 0,
                "a full chunk of the 5 x 5 geometry ends in part of a pooling strip");
    }

    @ParameterizedTest
    @MethodSource("batchesAndLayouts")
    void outputAndGradientsMatchADirectConvolution(int examples, ConvPoolGeometry g) {
        assertMatchesTheDirectConvolution(block(g, 1, false), g, examples, new Random(7));
    }

    /**
     * Runs {@code layer} forward and back on random data and checks output and gradients against {@link Reference};
     * a first layer (index 0) must return no input gradient, any other the reference's.
     */
    private static void assertMatchesTheDirectConvolution(Layer layer, ConvPoolGeometry g, int examples,
                                                          Random random) {
        float[] x = randoms(random, examples * g.inputSize());
        float[] eps = randoms(random, examples * g.outputSize());
        layer.setInput(Nd4j.create(x, new long[] {examples, g.inputSize()}, 'c'), NO_WORKSPACES);

        INDArray output = layer.activate(true, NO_WORKSPACES);
        Pair<Gradient, INDArray> backward = layer.backpropGradient(
                Nd4j.create(eps, new long[] {examples, g.outputSize()}, 'c'), NO_WORKSPACES);

        Reference reference = new Reference(g, x, examples, weights(layer), bias(layer), eps);
        assertClose(reference.output, output.data().asFloat(), "output");
        assertClose(reference.weightGradient,
                backward.getFirst().getGradientFor(DefaultParamInitializer.WEIGHT_KEY).dup('c').data().asFloat(),
                "weight gradient");
        assertClose(reference.biasGradient,
                backward.getFirst().getGradientFor(DefaultParamInitializer.BIAS_KEY).data().asFloat(), "bias gradient");
        if (layer.getIndex() == 0) {
            assertNull(backward.getSecond(), "the first layer's input needs no gradient");
        } else {
            assertClose(reference.inputGradient, backward.getSecond().data().asFloat(), "input gradient");
        }
        assertTrue(countPositive(reference.output) > 0 && countPositive(reference.output) < reference.output.length,
                "the ReLU is active for some outputs and not for others");
    }

    /** The LeNet's first block: a 28 x 28 image, one channel, 5 x 5, 2 x 2 pooling, 20 filters. */
    private static final ConvPoolGeometry FIRST = new ConvPoolGeometry(28, 28, 1, 5, 20, 2);

    static Stream<Arguments> firstBlockBatches() {
        // One chunk (the backward pass reuses the forward's window positions) and several (it recomputes them).
        return Stream.of(Arguments.of(5), Arguments.of(ConvPoolBlockLayer.CHUNK + 3));
    }

    /**
     * The first layer of the LeNet's shape takes the direct Vector API kernel where the JVM has it (Surefire's JVM
     * does, through conf/java17-flags.properties, at the CPU's own width): it must give what the direct convolution
     * gives. {@link VectorRoutesTest} runs the other width.
     */
    @ParameterizedTest
    @MethodSource("firstBlockBatches")
    void theFirstBlockMatchesADirectConvolution(int examples) {
        assertTrue(FIRST.fitsDirectFirstBlock() && VectorKernels.AVAILABLE,
                "this JVM runs the direct kernel (the module is added and the CPU has 256- or 512-bit vectors)");
        assertMatchesTheDirectConvolution(block(FIRST, 0, true), FIRST, examples, new Random(5));
    }

    @Test
    void channelMajorInputInTheFirstLayerGivesTheSameOutputAndNoInputGradient() {
        Random random = new Random(3);
        int examples = 4;
        float[] nhwc = randoms(random, examples * G.inputSize());
        float[] chw = new float[nhwc.length];
        int pixels = G.rows() * G.columns();
        for (int n = 0; n < examples; n++) {
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < G.channels(); c++) {
                    chw[n * G.inputSize() + c * pixels + p] = nhwc[n * G.inputSize() + p * G.channels() + c];
                }
            }
        }
        Layer first = block(G, 0, true);
        first.setInput(Nd4j.create(chw, new long[] {examples, G.inputSize()}, 'c'), NO_WORKSPACES);
        INDArray output = first.activate(true, NO_WORKSPACES);
        Pair<Gradient, INDArray> backward = first.backpropGradient(Nd4j.ones(DataType.FLOAT, examples,
                G.outputSize()), NO_WORKSPACES);

        Reference reference = new Reference(G, nhwc, examples, weights(first), bias(first),
                ones(examples * G.outputSize()));
        assertClose(reference.output, output.data().asFloat(), "output");
        assertClose(reference.weightGradient,
                backward.getFirst().getGradientFor(DefaultParamInitializer.WEIGHT_KEY).dup('c').data().asFloat(),
                "weight gradient");
        assertNull(backward.getSecond(), "the first layer's input needs no gradient");
    }

    @Test
    void aFastLenetSavesAndRestoresAndCountsTheSameFlopsAsDl4jsLayers() throws Exception {
        Trainer fast = trainer("fast-cpu");
        Trainer dl4j = trainer("dl4j");
        MultiLayerNetwork net = (MultiLayerNetwork) fast.newNetwork().model();
        assertTrue(net.getLayer(0) instanceof ConvPoolBlockLayer, "fast-cpu LeNet uses the blocks");
        assertEquals(dl4j.flopsPerExample(), fast.flopsPerExample(), 1e-6, "same model, same FLOPs");
        assertEquals(((MultiLayerNetwork) dl4j.newNetwork().model()).numParams(), net.numParams(), "same parameters");

        INDArray features = Nd4j.rand(DataType.FLOAT, 3, 784);
        INDArray before = net.output(features, false);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(
                new ByteArrayInputStream(bytes.toByteArray()), true);
        assertEquals(before, restored.output(features, false));
        assertEquals(net.getLayerWiseConfigurations(), restored.getLayerWiseConfigurations());
    }

    @Test
    void autoFallsBackToDl4jForFloat16AndAnExplicitFastCpuThereOrAWrongImageSizeIsAClearConfigError() {
        Trainer half = new Trainer(ConfigLoader.load(null, List.of("train.precision=float16")),
                new InputShape(1, 28, 28), 10);
        assertTrue(((MultiLayerNetwork) half.newNetwork().model()).getLayer(0)
                instanceof org.deeplearning4j.nn.layers.convolution.ConvolutionLayer, "auto: DL4J layers in float16");
        EfftrainException precision = assertThrows(EfftrainException.class, () -> new Trainer(ConfigLoader.load(null,
                List.of("train.precision=float16", "model.kernels=fast-cpu")), new InputShape(1, 28, 28), 10));
        assertTrue(precision.getMessage().contains("model.kernels = dl4j"), precision.getMessage());
        EfftrainException size = assertThrows(EfftrainException.class, () -> new Trainer(
                ConfigLoader.load(null, List.of()), new InputShape(1, 30, 30), 10));
        assertTrue(size.getMessage().contains("30x30"), size.getMessage());
    }

    @Test
    void anExplicitFastCpuForAModelItDoesNotBuildIsAClearConfigError() {
        for (String type : List.of("resnet", "layers")) {
            EfftrainException e = assertThrows(EfftrainException.class, () -> new Trainer(ConfigLoader.load(null,
                    List.of("model.type=" + type, "model.kernels=fast-cpu", "model.layers=[{type=flatten}]")),
                    new InputShape(1, 28, 28), 10));
            assertTrue(e.getMessage().contains("model.kernels = fast-cpu") && e.getMessage().contains(type),
                    e.getMessage());
        }
    }

    @Test
    void aModelStateDoesNotLoadIntoTheOtherKernelsLayoutAndABlockRefusesWhatItWouldIgnore() {
        // The same LeNet has the same parameter count either way, but not the same order of weights.
        Network dl4j = trainer("dl4j").newNetwork();
        Network fast = trainer("fast-cpu").newNetwork();
        assertEquals(dl4j.params().length(), fast.params().length());
        EfftrainException mismatch = assertThrows(EfftrainException.class,
                () -> NetworkState.load(fast, NetworkState.capture(dl4j)));
        assertTrue(mismatch.getMessage().contains("model.kernels") && mismatch.getMessage().contains("ConvPoolBlock"),
                mismatch.getMessage());
        NetworkState.load(fast, NetworkState.capture(trainer("fast-cpu").newNetwork()));

        ConvPoolBlock withDropout = new ConvPoolBlock.Builder().input(8, 10, 3).kernel(3).nOut(4).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dropOut(0.5).list()
                .layer(withDropout).layer(new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(G.inputSize())).build());
        IllegalArgumentException ignored = assertThrows(IllegalArgumentException.class, net::init);
        assertTrue(ignored.getMessage().contains("dropout"), ignored.getMessage());
    }

    private static Trainer trainer(String kernels) {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.kernels=" + kernels));
        return new Trainer(config, new InputShape(1, 28, 28), 10);
    }

    static Layer block(ConvPoolGeometry g, int index, boolean channelsFirst) {
        ConvPoolBlock conf = new ConvPoolBlock.Builder().input(g.rows(), g.columns(), g.channels())
                .kernel(g.kernel()).pool(g.pool()).nOut(g.filters()).channelsFirst(channelsFirst)
                .weightInit(WeightInit.XAVIER).biasInit(0.05).build();
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().seed(11).layer(conf).build();
        long count = conf.initializer().numParams(nnc);
        Layer layer = conf.instantiate(nnc, List.of(), index, Nd4j.create(DataType.FLOAT, 1, count), true,
                DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, count));
        layer.getParam(DefaultParamInitializer.BIAS_KEY).assign(Nd4j.rand(DataType.FLOAT, 1, g.filters()).subi(0.5));
        return layer;
    }

    private static float[] weights(Layer layer) {
        return layer.getParam(DefaultParamInitializer.WEIGHT_KEY).dup('c').data().asFloat();
    }

    private static float[] bias(Layer layer) {
        return layer.getParam(DefaultParamInitializer.BIAS_KEY).dup('c').data().asFloat();
    }

    static float[] randoms(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] ones(int count) {
        float[] values = new float[count];
        java.util.Arrays.fill(values, 1f);
        return values;
    }

    private static int countPositive(double[] values) {
        int positive = 0;
        for (double v : values) {
            positive += v > 0 ? 1 : 0;
        }
        return positive;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    /** The block computed the plain way: every output position, every weight, in double. */
    static final class Reference {
        final double[] output;
        final double[] weightGradient;
        final double[] biasGradient;
        final double[] inputGradient;

        Reference(ConvPoolGeometry g, float[] x, int examples, float[] w, float[] b, float[] eps) {
            int k = g.kernel();
            int c = g.channels();
            int f = g.filters();
            double[][][][] activated = new double[examples][g.convRows()][g.convColumns()][f];
            for (int n = 0; n < examples; n++) {
                for (int oy = 0; oy < g.convRows(); oy++) {
                    for (int ox = 0; ox < g.convColumns(); ox++) {
                        for (int o = 0; o < f; o++) {
                            double z = b[o];
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    for (int i = 0; i < c; i++) {
                                        z += w[((ky * k + kx) * c + i) * f + o] * x[pixel(g, n, oy + ky, ox + kx, i)];
                                    }
                                }
                            }
                            activated[n][oy][ox][o] = Math.max(z, 0);
                        }
                    }
                }
            }
            output = new double[examples * g.outputSize()];
            weightGradient = new double[g.patchSize() * f];
            biasGradient = new double[f];
            inputGradient = new double[examples * g.inputSize()];
            int p = g.pool();
            int out = 0;
            for (int n = 0; n < examples; n++) {
                for (int py = 0; py < g.pooledRows(); py++) {
                    for (int px = 0; px < g.pooledColumns(); px++) {
                        for (int o = 0; o < f; o++, out++) {
                            double max = Double.NEGATIVE_INFINITY;
                            int winnerY = 0;
                            int winnerX = 0;
                            for (int dy = 0; dy < p; dy++) {
                                for (int dx = 0; dx < p; dx++) {
                                    double v = activated[n][py * p + dy][px * p + dx][o];
                                    if (v > max) {
                                        max = v;
                                        winnerY = py * p + dy;
                                        winnerX = px * p + dx;
                                    }
                                }
                            }
                            output[out] = max;
                            if (max <= 0) {
                                continue;
                            }
                            biasGradient[o] += eps[out];
                            for (int ky = 0; ky < k; ky++) {
                                for (int kx = 0; kx < k; kx++) {
                                    for (int i = 0; i < c; i++) {
                                        int weight = ((ky * k + kx) * c + i) * f + o;
                                        int at = pixel(g, n, winnerY + ky, winnerX + kx, i);
                                        weightGradient[weight] += eps[out] * x[at];
                                        inputGradient[at] += eps[out] * w[weight];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        private static int pixel(ConvPoolGeometry g, int n, int y, int x, int c) {
            return n * g.inputSize() + (y * g.columns() + x) * g.channels() + c;
        }
    }
}
