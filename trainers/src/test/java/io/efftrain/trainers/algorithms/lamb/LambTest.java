package io.efftrain.trainers.algorithms.lamb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.time.Duration;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/** LAMB: the update rule by hand, the trust ratio per layer parameter in a real network, state, learning. */
class LambTest {
    private static final InputShape SHAPE = new InputShape(1, 28, 28);

    /** Runs one step as DL4J's updater block does: the updater on the block, then the trust ratio on the parameter. */
    private static double[] step(GradientUpdater<?> updater, LambTrustRatio trust, INDArray weights, double[] gradient,
                                 int iteration, double lr) {
        INDArray g = Nd4j.createFromArray(gradient);
        updater.applyUpdater(g, iteration, 0);
        trust.apply(weights, g, lr, iteration, 0);
        return g.toDoubleVector();
    }

    @Test
    void twoStepsMatchTheAlgorithmComputedByHand() {
        Lamb lamb = new Lamb(0.01, 0.9, 0.999, 1e-6);
        INDArray state = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 1, 4);
        GradientUpdater<?> updater = lamb.instantiate(state, true);
        LambTrustRatio trust = new LambTrustRatio(0.1);
        INDArray w = Nd4j.createFromArray(3.0, 4.0);
        double[] g1 = {0.5, -1.0};
        double[] g2 = {1.0, 1.0};

        // Step 1 (t = 1): m = 0.1 g, v = 0.001 g^2; bias correction gives m^ = g, v^ = g^2, so u = g / (|g| + eps).
        double[] u1 = {0.5 / (0.5 + 1e-6), -1.0 / (1.0 + 1e-6)};
        double[] r1 = {u1[0] + 0.1 * 3, u1[1] + 0.1 * 4};
        double ratio1 = 5.0 / Math.hypot(r1[0], r1[1]);
        assertArrayEquals(new double[] {0.01 * ratio1 * r1[0], 0.01 * ratio1 * r1[1]}, step(updater, trust, w, g1, 0, 0.01),
                1e-9);

        // Step 2 (t = 2), same weights: m = 0.9 m1 + 0.1 g2, v = 0.999 v1 + 0.001 g2^2, m^ = m / 0.19,
        // v^ = v / (1 - 0.999^2).
        double[] m = {0.9 * 0.05 + 0.1 * 1.0, 0.9 * -0.1 + 0.1 * 1.0};
        double[] v = {0.999 * 0.001 * 0.25 + 0.001, 0.999 * 0.001 * 1.0 + 0.001};
        double vCorrection = 1 - 0.999 * 0.999;
        double[] u2 = new double[2];
        for (int i = 0; i < 2; i++) {
            u2[i] = (m[i] / 0.19) / (Math.sqrt(v[i] / vCorrection) + 1e-6);
        }
        double[] r2 = {u2[0] + 0.3, u2[1] + 0.4};
        double ratio2 = 5.0 / Math.hypot(r2[0], r2[1]);
        assertArrayEquals(new double[] {0.01 * ratio2 * r2[0], 0.01 * ratio2 * r2[1]}, step(updater, trust, w, g2, 1, 0.01),
                1e-9);
        assertArrayEquals(new double[] {m[0], m[1], v[0], v[1]}, state.toDoubleVector(), 1e-12,
                "the moments live in DL4J's state view");
    }

    @Test
    void zeroNormsGiveATrustRatioOfOne() {
        assertEquals(1, LambTrustRatio.ratio(0, 2));
        assertEquals(1, LambTrustRatio.ratio(2, 0));
        assertEquals(0.5, LambTrustRatio.ratio(1, 2), 1e-12);
    }

    private static EfftrainConfig config(String... more) {
        List<String> overrides = new java.util.ArrayList<>(List.of("model.type=mlp", "model.mlp.hidden=[32]",
                "train.optimizer.type=lamb", "train.optimizer.learning-rate=0.01", "train.optimizer.l2=0"));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void eachLayerWeightMovesByTheLearningRateTimesItsNorm() {
        Network net = new Trainer(config(), SHAPE, 10).newNetwork();
        DataSet batch = TrainRound.minibatch(FashionMnist.block(true, 64), new BatchOrder(1, 0, 64, 64), 0, 10);
        Layer[] layers = net.layers();
        INDArray[] before = new INDArray[layers.length];
        for (int i = 0; i < layers.length; i++) {
            before[i] = layers[i].getParam("W").dup();
        }
        net.fit(batch);
        for (int i = 0; i < layers.length; i++) {
            double moved = layers[i].getParam("W").sub(before[i]).norm2Number().doubleValue();
            double norm = before[i].norm2Number().doubleValue();
            // ||lr ||w|| / ||r|| r|| = lr ||w||, whatever the gradient: the trust ratio is this parameter's own.
            assertEquals(0.01 * norm, moved, 1e-4 * norm, "layer " + i);
        }
    }

    @Test
    void stateSurvivesCaptureAndLoad() {
        Trainer trainer = new Trainer(config(), SHAPE, 10);
        ExampleBlock block = FashionMnist.block(true, 256);
        BatchOrder order = new BatchOrder(1, 0, block.size(), 64);
        Network trained = trainer.newNetwork();
        for (int step = 0; step < 3; step++) {
            trained.fit(TrainRound.minibatch(block, order, step, 10));
        }
        ParameterState state = NetworkState.capture(trained);
        assertEquals(2L * state.parameters().length, state.updaterState().length, "two moments per parameter");
        assertTrue(Nd4j.createFromArray(state.updaterState()).norm2Number().doubleValue() > 0, "the moments were kept");
        Network copy = trainer.newNetwork();
        NetworkState.load(copy, state);
        trained.fit(TrainRound.minibatch(block, order, 3, 10));
        copy.fit(TrainRound.minibatch(block, order, 3, 10));
        assertArrayEquals(trained.params().toFloatVector(), copy.params().toFloatVector(), 0f,
                "a loaded copy takes exactly the same next step (moments and bias correction restored)");
    }

    @Test
    void aNetworkLearnsFashionMnistWithLamb() {
        Trainer trainer = new Trainer(config("train.batch-size=64", "train.budget.epochs=3",
                "train.budget.wall-clock=null", "train.schedule=constant"), SHAPE, 10);
        LocalBlockSet test = new LocalBlockSet(List.of(FashionMnist.block(false, 1000)));
        EvaluationCounts before = trainer.evaluate(test, NetworkState.capture(trainer.newNetwork()));
        TrainingState trained = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 2000))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        EvaluationCounts after = trainer.evaluate(test, trained.model());
        assertTrue(before.accuracy() < 0.3, "untrained: " + before.accuracy());
        assertTrue(after.accuracy() > 0.72, "LAMB trained to " + after.accuracy());
        assertTrue(after.meanLoss() < before.meanLoss() / 2, before.meanLoss() + " -> " + after.meanLoss());
    }

    @Test
    void batchNormParametersWithoutATrustRatioTakeAPlainAdamStepAtTheLearningRate() {
        EfftrainConfig resnet = ConfigLoader.load(null, List.of("model.type=resnet", "model.resnet.stem-channels=4",
                "model.resnet.stage-channels=[4]", "train.optimizer.type=lamb", "train.optimizer.learning-rate=0.01"));
        Network net = new Trainer(resnet, SHAPE, 10).newNetwork();
        Layer bn = java.util.Arrays.stream(net.layers()).filter(l -> l.conf().getLayer().getLayerName().equals("stembn"))
                .findFirst().orElseThrow();
        INDArray gamma = bn.getParam("gamma").dup();
        net.fit(TrainRound.minibatch(FashionMnist.block(true, 32), new BatchOrder(1, 0, 32, 32), 0, 10));
        double largest = bn.getParam("gamma").sub(gamma).amaxNumber().doubleValue();
        // Adam's first step is lr sign(g) (up to epsilon): never more than lr, whatever the gradient's scale.
        assertTrue(largest > 0.005 && largest <= 0.01 + 1e-6, "gamma moved by " + largest);
    }
}
