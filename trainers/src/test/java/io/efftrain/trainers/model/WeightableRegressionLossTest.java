package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.RegressionLoss;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.network.Network;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The regression loss: squared error and Huber's loss with their gradients, each example weighed by the label's
 * second column; and model.task = regression builds a network with one linear output and this loss, which survives
 * DL4J's JSON (how workers rebuild networks).
 */
class WeightableRegressionLossTest {
    private static final INDArray PREDICTIONS = Nd4j.create(new float[] {0.5f, 3f, -4f}, new long[] {3, 1});
    /** Targets 0, 0, 0 (residuals 0.5, 3, -4) with weights 1, 2, 0. */
    private static final INDArray LABELS = Nd4j.create(new float[] {0, 1, 0, 2, 0, 0}, new long[] {3, 2});

    @Test
    void squaredErrorIsWeighedPerExample() {
        WeightableRegressionLoss loss = new WeightableRegressionLoss(RegressionLoss.SQUARED_ERROR, 1);
        INDArray scores = loss.computeScoreArray(LABELS, PREDICTIONS, new ActivationIdentity(), null);
        assertEquals(0.25, scores.getDouble(0), 1e-6);
        assertEquals(18, scores.getDouble(1), 1e-6);
        assertEquals(0, scores.getDouble(2), 1e-6, "weight 0 drops the example");
        assertEquals((0.25 + 18) / 3, loss.computeScore(LABELS, PREDICTIONS, new ActivationIdentity(), null, true),
                1e-6);
        INDArray gradient = loss.computeGradient(LABELS, PREDICTIONS, new ActivationIdentity(), null);
        assertEquals(1, gradient.getDouble(0), 1e-6);
        assertEquals(12, gradient.getDouble(1), 1e-6);
        assertEquals(0, gradient.getDouble(2), 1e-6);
    }

    @Test
    void huberIsQuadraticInsideDeltaAndLinearOutside() {
        WeightableRegressionLoss loss = new WeightableRegressionLoss(RegressionLoss.HUBER, 1);
        INDArray scores = loss.computeScoreArray(LABELS, PREDICTIONS, new ActivationIdentity(), null);
        assertEquals(0.125, scores.getDouble(0), 1e-6);
        assertEquals(2 * (3 - 0.5), scores.getDouble(1), 1e-6);
        INDArray gradient = loss.computeGradient(LABELS, PREDICTIONS, new ActivationIdentity(), null);
        assertEquals(0.5, gradient.getDouble(0), 1e-6);
        assertEquals(2, gradient.getDouble(1), 1e-6, "outside delta the gradient is delta, times the weight 2");
        // The analytic gradient matches a finite difference of the unweighted loss.
        double h = 1e-3;
        for (double r : new double[] {0.3, -0.7, 2.5, -3}) {
            double numeric = (loss.loss(r + h) - loss.loss(r - h)) / (2 * h);
            INDArray one = loss.computeGradient(Nd4j.create(new float[] {0, 1}, new long[] {1, 2}),
                    Nd4j.create(new float[] {(float) r}, new long[] {1, 1}), new ActivationIdentity(), null);
            assertEquals(numeric, one.getDouble(0), 1e-3, "gradient at residual " + r);
        }
    }

    @Test
    void aRegressionTaskBuildsOneLinearOutputWithThisLoss() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[8]",
                "model.task=regression", "model.regression.loss=huber", "model.regression.huber-delta=0.5"));
        Trainer trainer = new Trainer(config, new InputShape(5, 1, 1), 1);
        MultiLayerConfiguration stack = MultiLayerConfiguration.fromJson(trainer.spec().json());
        OutputLayer output = assertInstanceOf(OutputLayer.class, stack.getConf(1).getLayer());
        assertEquals(1, output.getNOut());
        assertInstanceOf(ActivationIdentity.class, output.getActivationFn());
        WeightableRegressionLoss loss = assertInstanceOf(WeightableRegressionLoss.class, output.getLossFn());
        assertEquals(RegressionLoss.HUBER, loss.kind());
        assertEquals(0.5 * (1.5 - 0.25), loss.loss(1.5), 1e-9, "delta 0.5 survived the JSON");
        Network net = trainer.newNetwork();
        INDArray out = net.output(Nd4j.rand(4, 5), false);
        assertEquals(4, out.rows());
        assertEquals(1, out.columns());
        float[] losses = net.exampleLosses(out, new float[] {0, 1, 0, 1, 0, 1, 0, 1});
        assertTrue(losses.length == 4 && losses[0] >= 0);
    }
}
