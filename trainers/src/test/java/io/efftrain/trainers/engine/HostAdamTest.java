package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.model.InputShape;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/** HostAdam takes the same steps as DL4J's Adam, keeps its state layout, and is what float32 Adam networks get. */
class HostAdamTest {
    @Test
    void stepsAndStateMatchDl4jsAdamOverManyIterations() {
        int n = 1003;
        INDArray hostState = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
        INDArray dl4jState = Nd4j.zeros(DataType.FLOAT, 1, 2 * n);
        GradientUpdater host = new HostAdam(0.003, 0.9, 0.999, 1e-8).instantiate(hostState, true);
        GradientUpdater dl4j = new Adam(0.003, 0.9, 0.999, 1e-8).instantiate(dl4jState, true);
        Nd4j.getRandom().setSeed(5);
        for (int iteration = 0; iteration < 50; iteration++) {
            INDArray gradient = Nd4j.randn(DataType.FLOAT, 1, n).muli(iteration % 7 == 0 ? 10 : 0.1);
            INDArray hostStep = gradient.dup();
            INDArray dl4jStep = gradient.dup();
            host.applyUpdater(hostStep, iteration, 0);
            dl4j.applyUpdater(dl4jStep, iteration, 0);
            assertClose(dl4jStep, hostStep, 1e-4, "step at iteration " + iteration);
        }
        // The moments accumulate 50 rounding differences (the two sum in another order).
        assertClose(dl4jState, hostState, 1e-4, "moments, first m then v");
    }

    @Test
    void float32AdamNetworksUseItAndSurviveAClone() {
        MultiLayerNetwork net = (MultiLayerNetwork) new Trainer(ConfigLoader.load(null,
                List.of("train.optimizer.type=adam")), new InputShape(1, 28, 28), 10).newNetwork().model();
        BaseLayer dense = (BaseLayer) net.getLayer(2).conf().getLayer();
        assertTrue(dense.getIUpdater() instanceof HostAdam, dense.getIUpdater().toString());
        assertTrue(dense.getIUpdater().clone() instanceof HostAdam, "a clone keeps the type");
        assertEquals(dense.getIUpdater(), dense.getIUpdater().clone());
        Adam plain = new Adam(0.002, 0.9, 0.999, 1e-8);
        HostAdam host = new HostAdam(0.002, 0.9, 0.999, 1e-8);
        assertFalse(plain.equals(host) || host.equals(plain), "equality is symmetric: a plain Adam is another updater");
        assertTrue(net.clone().getLayer(0).conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base
                && base.getIUpdater() instanceof HostAdam, "a cloned network keeps it");
    }

    @Test
    void aNetworkWithSeveralUpdaterBlocksTrainsAsWithDl4jsAdam() {
        // Different learning rates per layer split the updater state into blocks at non-zero offsets of the flat
        // state view; each block's HostAdam must read and write its own slice only.
        double[] rates = {0.003, 0.001, 0.003, 0.002};
        MultiLayerNetwork host = adamNetwork(rates, true);
        MultiLayerNetwork dl4j = adamNetwork(rates, false);
        dl4j.setParams(host.params().dup());
        assertTrue(host.getUpdater().getStateViewArray().length() > 0);
        Nd4j.getRandom().setSeed(9);
        for (int step = 0; step < 20; step++) {
            INDArray x = Nd4j.randn(DataType.FLOAT, 16, 12);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 3);
            for (int i = 0; i < 16; i++) {
                y.putScalar(i, (i + step) % 3, 1f);
            }
            host.fit(x, y);
            dl4j.fit(x, y);
        }
        assertTrue(((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) host.getUpdater()).getUpdaterBlocks()
                .size() == rates.length, "one updater block per layer");
        assertClose(dl4j.params().dup(), host.params().dup(), 1e-3, "parameters after 20 steps");
        assertClose(dl4j.getUpdater().getStateViewArray().dup(), host.getUpdater().getStateViewArray().dup(), 1e-3,
                "updater state after 20 steps");
    }

    private static MultiLayerNetwork adamNetwork(double[] rates, boolean hostAdam) {
        org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder list =
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT).list();
        for (int i = 0; i < rates.length; i++) {
            org.nd4j.linalg.learning.config.IUpdater updater = hostAdam ? new HostAdam(rates[i], 0.9, 0.999, 1e-8)
                    : new Adam(rates[i], 0.9, 0.999, 1e-8);
            if (i < rates.length - 1) {
                list.layer(new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder().nOut(10)
                        .activation(org.nd4j.linalg.activations.Activation.TANH).updater(updater).build());
            } else {
                list.layer(new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).updater(updater).build());
            }
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.setInputType(
                org.deeplearning4j.nn.conf.inputs.InputType.feedForward(12)).build());
        net.init();
        return net;
    }

    private static void assertClose(INDArray expected, INDArray actual, double relative, String what) {
        float[] e = expected.data().asFloat();
        float[] a = actual.data().asFloat();
        // Relative to each value and to the array's largest: near-zero moments are differences of large terms.
        double largest = expected.amaxNumber().doubleValue();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], relative * (Math.abs(e[i]) + largest * 0.01), what + " at " + i);
        }
    }
}
