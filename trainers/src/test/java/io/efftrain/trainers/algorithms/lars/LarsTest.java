package io.efftrain.trainers.algorithms.lars;

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
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;

/** LARS: the update rule by hand, the trust ratio per layer parameter in a real network, state, learning. */
class LarsTest {
    private static final InputShape SHAPE = new InputShape(1, 28, 28);

    /** One step as DL4J's updater block runs it: the trust ratio on the parameter, then the updater. */
    private static double[] step(GradientUpdater<?> updater, LarsTrustRatio trust, INDArray weights, double[] gradient,
                                 double lr) {
        INDArray g = Nd4j.createFromArray(gradient);
        trust.apply(weights, g, lr, 0, 0);
        updater.applyUpdater(g, 0, 0);
        return g.toDoubleVector();
    }

    @Test
    void twoStepsMatchTheAlgorithmComputedByHand() {
        Lars lars = new Lars(2.0, 0.9);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> updater = lars.instantiate(state, true);
        LarsTrustRatio trust = new LarsTrustRatio(0.001, 0.01);
        INDArray w = Nd4j.createFromArray(3.0, 4.0);

        // lambda = eta ||w|| / (||g|| + beta ||w||) = 0.001 * 5 / (||(0.6, 0.8)|| + 0.01 * 5) = 0.005 / 1.05.
        double lambda1 = 0.005 / 1.05;
        double[] v1 = {2.0 * lambda1 * (0.6 + 0.03), 2.0 * lambda1 * (0.8 + 0.04)};
        assertArrayEquals(v1, step(updater, trust, w, new double[] {0.6, 0.8}, 2.0), 1e-12);

        // Second step: ||g|| = ||(0, 2)|| = 2; v = 0.9 v1 + lr lambda (g + beta w).
        double lambda2 = 0.005 / (2 + 0.05);
        double[] v2 = {0.9 * v1[0] + 2.0 * lambda2 * 0.03, 0.9 * v1[1] + 2.0 * lambda2 * (2 + 0.04)};
        assertArrayEquals(v2, step(updater, trust, w, new double[] {0, 2}, 2.0), 1e-12);
        assertArrayEquals(v2, state.toDoubleVector(), 1e-12, "the velocity lives in DL4J's state view");
    }

    @Test
    void zeroNormsGiveALocalRateOfOne() {
        assertEquals(1, LarsTrustRatio.localRate(0.001, 0, 0, 3));
        assertEquals(1, LarsTrustRatio.localRate(0.001, 0, 3, 0));
        assertEquals(0.001 * 3 / (1 + 0.1 * 3), LarsTrustRatio.localRate(0.001, 0.1, 3, 1), 1e-15);
    }

    private static EfftrainConfig config(String... more) {
        List<String> overrides = new ArrayList<>(List.of("model.type=mlp", "model.mlp.hidden=[32]",
                "train.optimizer.type=lars", "train.optimizer.learning-rate=5", "train.optimizer.l2=0",
                "train.optimizer.momentum=0.9"));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void eachLayerWeightsFirstStepIsLearningRateTimesEtaTimesItsNorm() {
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
            // Without weight decay the step is lr eta ||w|| g / ||g||: its norm is this parameter's own lr eta ||w||.
            assertEquals(5 * 0.001 * norm, moved, 1e-4 * norm, "layer " + i);
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
        assertEquals(state.parameters().length, state.updaterState().length, "one velocity per parameter");
        Network copy = trainer.newNetwork();
        NetworkState.load(copy, state);
        trained.fit(TrainRound.minibatch(block, order, 3, 10));
        copy.fit(TrainRound.minibatch(block, order, 3, 10));
        assertArrayEquals(trained.params().toFloatVector(), copy.params().toFloatVector(), 0f);
    }

    @Test
    void aNetworkLearnsFashionMnistWithLars() {
        Trainer trainer = new Trainer(config("train.budget.epochs=3", "train.budget.wall-clock=null",
                "train.schedule=constant"), SHAPE, 10);
        LocalBlockSet test = new LocalBlockSet(List.of(FashionMnist.block(false, 1000)));
        TrainingState trained = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 2000))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        EvaluationCounts after = trainer.evaluate(test, trained.model());
        assertTrue(after.accuracy() > 0.72, "LARS trained to " + after.accuracy());
    }
}
