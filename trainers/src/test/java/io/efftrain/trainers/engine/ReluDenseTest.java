package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The fast ReLU dense layer against DL4J's DenseLayer with the same parameters: outputs, the gradients of all
 * parameters and of the input, across batch sizes that grow and shrink its buffers, and a backward pass for an
 * input it has not run forward; the fast layers' limit on examples per call.
 */
class ReluDenseTest {
    private static final int IN = 37;
    private static final int OUT = 23;
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    @Test
    void outputsAndGradientsMatchDl4jsDenseLayer() {
        MultiLayerNetwork dl4j = network(new DenseLayer.Builder().nOut(OUT).activation(Activation.RELU).build());
        MultiLayerNetwork fast = network(new ReluDense.Builder().nOut(OUT).build());
        fast.setParams(dl4j.params().dup());
        Nd4j.getRandom().setSeed(3);
        for (int examples : new int[] {9, 40, 3}) {
            INDArray x = Nd4j.randn(DataType.FLOAT, examples, IN);
            INDArray y = Nd4j.zeros(DataType.FLOAT, examples, 4);
            for (int i = 0; i < examples; i++) {
                y.putScalar(i, i % 4, 1f);
            }
            assertClose(dl4j.output(x), fast.output(x), "output of " + examples);
            dl4j.setInput(x);
            dl4j.setLabels(y);
            fast.setInput(x);
            fast.setLabels(y);
            dl4j.computeGradientAndScore();
            fast.computeGradientAndScore();
            assertClose(dl4j.gradient().gradient(), fast.gradient().gradient(), "parameter gradients of " + examples);

            INDArray hidden = dl4j.getLayer(0).activate(x, true, NO_WORKSPACES);
            INDArray relu = hidden.gt(0).castTo(DataType.FLOAT);
            assertTrue(relu.sumNumber().intValue() > 0 && relu.sumNumber().intValue() < relu.length(),
                    "the ReLU is active for some units and not for others");
            INDArray eps = Nd4j.randn(DataType.FLOAT, examples, OUT);
            Pair<Gradient, INDArray> expected = dl4j.getLayer(0).backpropGradient(eps, NO_WORKSPACES);
            // No forward pass on this input before: the layer recomputes its activations.
            fast.getLayer(0).setInput(x.dup(), NO_WORKSPACES);
            Pair<Gradient, INDArray> actual = fast.getLayer(0).backpropGradient(eps, NO_WORKSPACES);
            assertClose(expected.getSecond(), actual.getSecond(), "input gradient of " + examples);
            for (String key : new String[] {DefaultParamInitializer.WEIGHT_KEY, DefaultParamInitializer.BIAS_KEY}) {
                assertClose(expected.getFirst().getGradientFor(key), actual.getFirst().getGradientFor(key),
                        key + " gradient of " + examples);
            }
        }
    }

    @Test
    void refusesDropoutAndOtherActivations() {
        IllegalArgumentException dropout = assertThrows(IllegalArgumentException.class, () -> network(
                new NeuralNetConfiguration.Builder().dropOut(0.5), new ReluDense.Builder().nOut(OUT).build()));
        assertTrue(dropout.getMessage().contains("dropout"), dropout.getMessage());
        IllegalArgumentException tanh = assertThrows(IllegalArgumentException.class, () -> network(
                new ReluDense.Builder().nOut(OUT).activation(Activation.TANH).build()));
        assertTrue(tanh.getMessage().contains("activation"), tanh.getMessage());
    }

    @Test
    void aBatchTooLargeForOneJavaArrayIsRefusedWithTheLimit() {
        // The LeNet's second block keeps 2,880 input values per example in one host array.
        assertTrue(HostBuffers.examples(Nd4j.create(DataType.FLOAT, 745_654, 1), 2880, "layer") == 745_654);
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> HostBuffers.examples(Nd4j.create(DataType.FLOAT, 745_700, 1), 2880, "ConvPoolBlock 'conv2'"));
        assertTrue(tooMany.getMessage().contains("at most 745654 examples")
                && tooMany.getMessage().contains("smaller batches"), tooMany.getMessage());
    }

    private static MultiLayerNetwork network(Layer hidden) {
        return network(new NeuralNetConfiguration.Builder(), hidden);
    }

    private static MultiLayerNetwork network(NeuralNetConfiguration.Builder base, Layer hidden) {
        MultiLayerConfiguration conf = base.seed(5).dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(hidden)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).dropOut(1.0).build())
                .setInputType(InputType.feedForward(IN)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.dup('c').data().asFloat();
        float[] a = actual.dup('c').data().asFloat();
        for (int i = 0; i < e.length; i++) {
            if (Math.abs(e[i] - a[i]) > 1e-4f * (1 + Math.abs(e[i]))) {
                throw new AssertionError(what + " at " + i + ": expected " + e[i] + ", got " + a[i]);
            }
        }
    }

    @Test
    void theMlpTakesTheFastDenseLayersOnTheCpuWithDl4jsParametersAndFlops() {
        io.efftrain.trainers.Trainer fast = new io.efftrain.trainers.Trainer(io.efftrain.pipeline.config.ConfigLoader
                .load(null, java.util.List.of("model.type=mlp")), new io.efftrain.trainers.model.InputShape(1, 28, 28), 10);
        io.efftrain.trainers.Trainer dl4j = new io.efftrain.trainers.Trainer(io.efftrain.pipeline.config.ConfigLoader
                .load(null, java.util.List.of("model.type=mlp", "model.kernels=dl4j")),
                new io.efftrain.trainers.model.InputShape(1, 28, 28), 10);
        MultiLayerNetwork net = (MultiLayerNetwork) fast.newNetwork().model();
        MultiLayerNetwork reference = (MultiLayerNetwork) dl4j.newNetwork().model();
        assertTrue(net.getLayer(0) instanceof ReluDenseLayer && net.getLayer(1) instanceof ReluDenseLayer,
                "auto on the CPU backend: the fast dense layers");
        org.junit.jupiter.api.Assertions.assertEquals(reference.numParams(), net.numParams());
        org.junit.jupiter.api.Assertions.assertEquals(dl4j.flopsPerExample(), fast.flopsPerExample(), 1e-6);
    }
}
