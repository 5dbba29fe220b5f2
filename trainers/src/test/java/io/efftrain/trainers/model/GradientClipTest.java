package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.TrainRound;
import java.util.List;
import io.efftrain.trainers.network.Network;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.junit.jupiter.api.Test;

/** With plain SGD, one step moves each layer's weights by at most learning rate x clip norm. */
class GradientClipTest {
    private static double largestLayerStep(String... overrides) {
        EfftrainConfig config = ConfigLoader.load(null, List.of(overrides));
        Network net = new Trainer(config, new InputShape(1, 28, 28), 10).newNetwork();
        DataSet batch = TrainRound.minibatch(FashionMnist.block(true, 64), new BatchOrder(1, 0, 64, 64), 0, 10);
        NetworkState.setLearningRate(net, 1.0);
        var before = net.layers()[0].getParam("W").dup();
        net.fit(batch);
        return Transforms.allEuclideanDistances(before.reshape(1, -1), net.layers()[0].getParam("W").reshape(1, -1), 1)
                .getDouble(0);
    }

    @Test
    void clippingBoundsEachLayersStep() {
        String[] base = {"model.type=mlp", "model.mlp.hidden=[32]", "train.optimizer.type=sgd",
            "train.optimizer.l2=0"};
        double unclipped = largestLayerStep(base);
        String[] clipped = java.util.Arrays.copyOf(base, base.length + 1);
        clipped[base.length] = "train.optimizer.gradient-clip=0.01";
        double step = largestLayerStep(clipped);
        assertTrue(unclipped > 0.05, "the unclipped step is large: " + unclipped);
        assertEquals(0.01, step, 2e-3, "the clipped step has the clip norm (weights and bias share it)");
    }
}
