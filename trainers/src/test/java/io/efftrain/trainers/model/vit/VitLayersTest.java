package io.efftrain.trainers.model.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The ViT layers against a plain-Java double computation of what they should compute (forward, every layer's
 * output on a tiny image with random parameters), their gradients against finite differences (DL4J's gradient
 * check, in double precision), and the direct ND4J layers against their SameDiff definitions (forward and
 * gradients), with the class token and with mean pooling.
 */
class VitLayersTest {
    private static final int CHANNELS = 2;
    private static final int SIDE = 4;
    private static final int PATCH = 2;
    private static final int WIDTH = 8;
    private static final int HEADS = 2;
    private static final int MLP = 6;
    private static final int CLASSES = 3;
    private static final int EXAMPLES = 3;

    /**
     * patch embedding, a transformer block, LayerNorm, token pooling, a softmax; random parameters. The ViT layers
     * run directly in ND4J ops, or (sameDiff) as their SameDiff definitions.
     */
    private static MultiLayerNetwork tiny(boolean classToken, long seed, boolean sameDiff) {
        PatchEmbedding embedding = new PatchEmbedding(CHANNELS, SIDE, SIDE, PATCH, WIDTH, classToken);
        int tokens = embedding.tokens();
        List<SequenceLayer> layers = List.of(embedding, new TransformerBlock(tokens, WIDTH, HEADS, MLP),
                new TokenLayerNorm(tokens, WIDTH), new TokenPool(tokens, WIDTH, classToken));
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.DOUBLE).updater(new NoOp()).list();
        for (SequenceLayer layer : layers) {
            list.layer(sameDiff ? layer.sameDiffReference() : layer);
        }
        MultiLayerConfiguration conf = list
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(SIDE, SIDE, CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // Random gains, biases, embeddings too: the initial ones (gains 1, biases 0) would hide mistakes in them.
        Nd4j.getRandom().setSeed(seed);
        net.params().assign(Nd4j.rand(DataType.DOUBLE, net.params().shape()).subi(0.5).muli(1.2));
        return net;
    }

    private static INDArray images(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, EXAMPLES, CHANNELS * SIDE * SIDE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyLayerComputesWhatThePlainJavaReferenceComputes(boolean classToken) {
        MultiLayerNetwork net = tiny(classToken, 7, false);
        INDArray input = images(11);
        List<INDArray> activations = net.feedForward(input, false);
        for (int e = 0; e < EXAMPLES; e++) {
            double[][] tokens = patchEmbedding(input.getRow(e).toDoubleVector(), net, classToken);
            assertClose(tokens, activations.get(1), e, "patch embedding");
            tokens = block(tokens, net);
            assertClose(tokens, activations.get(2), e, "transformer block");
            tokens = layerNorm(tokens, param(net, 2, "g"), param(net, 2, "b"));
            assertClose(tokens, activations.get(3), e, "layer norm");
            double[] pooled = new double[WIDTH];
            for (double[] token : tokens) {
                for (int i = 0; i < WIDTH; i++) {
                    pooled[i] += classToken ? 0 : token[i] / tokens.length;
                }
            }
            if (classToken) {
                pooled = tokens[0];
            }
            assertArrayEquals(pooled, activations.get(4).getRow(e).toDoubleVector(), 1e-10, "token pool");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void gradientsMatchFiniteDifferences(boolean classToken) {
        assertTrue(gradientCheck(tiny(classToken, 3, false)), "analytic and numerical gradients differ (see the log)");
    }

    @Test
    void theSameDiffReferenceHasTheRightGradientsToo() {
        // Fails if DL4J's doubled SameDiff gradients are fixed and SingleGradientSameDiffLayer still halves them.
        assertTrue(gradientCheck(tiny(true, 3, true)), "analytic and numerical gradients differ (see the log)");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void theDirectLayersComputeWhatTheirSameDiffDefinitionsCompute(boolean classToken) {
        MultiLayerNetwork direct = tiny(classToken, 9, false);
        MultiLayerNetwork sameDiff = tiny(classToken, 9, true);
        assertEquals(sameDiff.params(), direct.params());
        INDArray input = images(13);
        List<INDArray> expected = sameDiff.feedForward(input, true);
        List<INDArray> actual = direct.feedForward(input, true);
        for (int i = 1; i < expected.size(); i++) {
            assertTrue(expected.get(i).equalsWithEps(actual.get(i), 1e-10), "layer " + (i - 1) + " forward");
        }
        INDArray labels = labels();
        for (MultiLayerNetwork net : List.of(direct, sameDiff)) {
            net.setInput(input);
            net.setLabels(labels);
            net.computeGradientAndScore();
        }
        assertTrue(sameDiff.gradient().gradient().equalsWithEps(direct.gradient().gradient(), 1e-10),
                "gradients: " + sameDiff.gradient().gradient() + " vs " + direct.gradient().gradient());
    }

    private static INDArray labels() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, EXAMPLES, CLASSES);
        for (int e = 0; e < EXAMPLES; e++) {
            labels.putScalar(e, e % CLASSES, 1.0);
        }
        return labels;
    }

    private static boolean gradientCheck(MultiLayerNetwork net) {
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(images(5))
                    .labels(labels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultFloat);
        }
    }

    @Test
    void theLayersCountTheirFlops() {
        TransformerBlock block = new TransformerBlock(17, 64, 4, 128);
        double perToken = 4.0 * 64 * 64 + 2.0 * 64 * 128;
        assertEquals(2 * (17 * perToken + 2.0 * 17 * 17 * 64), block.forwardFlopsPerExample(), 1e-6);
        assertEquals(2.0 * 16 * 49 * 64, new PatchEmbedding(1, 28, 28, 7, 64, true).forwardFlopsPerExample(), 1e-6);
    }

    private static void assertClose(double[][] expected, INDArray actual, int example, String what) {
        INDArray got = actual.get(org.nd4j.linalg.indexing.NDArrayIndex.point(example));
        assertArrayEquals(new long[]{expected.length, WIDTH}, got.shape(), what);
        for (int t = 0; t < expected.length; t++) {
            assertArrayEquals(expected[t], got.getRow(t).toDoubleVector(), 1e-10, what + ", token " + t);
        }
    }

    private static double[][] param(MultiLayerNetwork net, int layer, String name) {
        return net.getLayer(layer).getParam(name).reshape(-1, net.getLayer(layer).getParam(name).size(-1))
                .toDoubleMatrix();
    }

    private static double[] vector(MultiLayerNetwork net, int layer, String name) {
        return net.getLayer(layer).getParam(name).reshape(-1).toDoubleVector();
    }

    /** The convolution with kernel = stride = patch, written as one, tokens in row-major patch order. */
    private static double[][] patchEmbedding(double[] pixels, MultiLayerNetwork net, boolean classToken) {
        double[][] w = param(net, 0, "W");
        double[] b = vector(net, 0, "b");
        double[][] pos = param(net, 0, "pos");
        int across = SIDE / PATCH;
        int first = classToken ? 1 : 0;
        double[][] tokens = new double[across * across + first][WIDTH];
        if (classToken) {
            tokens[0] = vector(net, 0, "cls").clone();
        }
        for (int py = 0; py < across; py++) {
            for (int px = 0; px < across; px++) {
                double[] token = tokens[first + py * across + px];
                for (int o = 0; o < WIDTH; o++) {
                    double sum = b[o];
                    for (int c = 0; c < CHANNELS; c++) {
                        for (int y = 0; y < PATCH; y++) {
                            for (int x = 0; x < PATCH; x++) {
                                double pixel = pixels[(c * SIDE + py * PATCH + y) * SIDE + px * PATCH + x];
                                sum += pixel * w[(c * PATCH + y) * PATCH + x][o];
                            }
                        }
                    }
                    token[o] = sum;
                }
            }
        }
        for (int t = 0; t < tokens.length; t++) {
            for (int o = 0; o < WIDTH; o++) {
                tokens[t][o] += pos[t][o];
            }
        }
        return tokens;
    }

    /** x + attention(LN(x)), then y + MLP(LN(y)) with GELU's tanh form, head by head and token by token. */
    private static double[][] block(double[][] x, MultiLayerNetwork net) {
        int n = x.length;
        int headWidth = WIDTH / HEADS;
        double[][] qkv = linear(layerNorm(x, param(net, 1, "ln1g"), param(net, 1, "ln1b")), param(net, 1, "Wqkv"),
                vector(net, 1, "bqkv"));
        double[][] attended = new double[n][WIDTH];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < n; i++) {
                double[] scores = new double[n];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int k = 0; k < headWidth; k++) {
                        dot += qkv[i][h * headWidth + k] * qkv[j][WIDTH + h * headWidth + k];
                    }
                    scores[j] = dot / Math.sqrt(headWidth);
                    max = Math.max(max, scores[j]);
                }
                double total = 0;
                for (int j = 0; j < n; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    total += scores[j];
                }
                for (int j = 0; j < n; j++) {
                    for (int k = 0; k < headWidth; k++) {
                        attended[i][h * headWidth + k] += scores[j] / total * qkv[j][2 * WIDTH + h * headWidth + k];
                    }
                }
            }
        }
        double[][] y = add(x, linear(attended, param(net, 1, "Wo"), vector(net, 1, "bo")));
        double[][] hidden = linear(layerNorm(y, param(net, 1, "ln2g"), param(net, 1, "ln2b")), param(net, 1, "W1"),
                vector(net, 1, "b1"));
        for (double[] row : hidden) {
            for (int i = 0; i < row.length; i++) {
                double v = row[i];
                row[i] = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
        }
        return add(y, linear(hidden, param(net, 1, "W2"), vector(net, 1, "b2")));
    }

    private static double[][] layerNorm(double[][] x, double[][] gain, double[][] bias) {
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            double mean = 0;
            for (double v : x[t]) {
                mean += v / x[t].length;
            }
            double variance = 0;
            for (double v : x[t]) {
                variance += (v - mean) * (v - mean) / x[t].length;
            }
            out[t] = new double[x[t].length];
            for (int i = 0; i < x[t].length; i++) {
                out[t][i] = (x[t][i] - mean) / Math.sqrt(variance + 1e-5) * gain[0][i] + bias[0][i];
            }
        }
        return out;
    }

    private static double[][] linear(double[][] x, double[][] w, double[] b) {
        double[][] out = new double[x.length][b.length];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < b.length; o++) {
                double sum = b[o];
                for (int i = 0; i < x[t].length; i++) {
                    sum += x[t][i] * w[i][o];
                }
                out[t][o] = sum;
            }
        }
        return out;
    }

    private static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int i = 0; i < a[t].length; i++) {
                out[t][i] = a[t][i] + b[t][i];
            }
        }
        return out;
    }
}
