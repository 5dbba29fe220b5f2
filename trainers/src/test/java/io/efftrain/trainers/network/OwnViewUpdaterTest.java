package io.efftrain.trainers.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.model.InputShape;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A network's updater takes DL4J's ordinary path over the network's own gradient view, and trains exactly as
 * DL4J's updater does on its path for outside gradients: same parameters and updater state to the bit, with and
 * without regularisation, on DL4J's layers and on the fast CPU path, for layer stacks and graphs.
 */
class OwnViewUpdaterTest {
    @ParameterizedTest
    @ValueSource(strings = {
        // the fast CPU path with Adam and no regularisation (the benchmark's LeNet)
        "model.type=lenet|model.kernels=fast-cpu|train.optimizer.type=adam|train.optimizer.l2=0",
        // DL4J's layers with Nesterov momentum and L2 (applied before the updater)
        "model.type=mlp|model.mlp.hidden=[16]|train.optimizer.type=nesterovs|train.optimizer.l2=0.001",
        // LARS: its trust ratio is a regularisation applied after the updater, reading the parameters
        "model.type=mlp|model.mlp.hidden=[16]|train.optimizer.type=lars|train.optimizer.learning-rate=1"
    })
    void aLayerStackTrainsToTheBitAsWithDl4jsUpdater(String settings) {
        EfftrainConfig config = ConfigLoader.load(null, Arrays.asList(settings.split("\\|")));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        Network ours = trainer.newNetwork();
        Network dl4j = trainer.newNetwork();
        MultiLayerNetwork plain = (MultiLayerNetwork) dl4j.model();
        plain.setUpdater(new MultiLayerUpdater(plain, plain.getUpdater().getStateViewArray()));
        assertEquals(OwnViewUpdater.class, ((MultiLayerNetwork) ours.model()).getUpdater().getClass());

        ExampleBlock block = FashionMnist.block(true, 96);
        BatchOrder order = new BatchOrder(5, 0, block.size(), 32);
        for (int step = 0; step < 6; step++) {
            ours.fit(TrainRound.minibatch(block, order, step, 10));
            dl4j.fit(TrainRound.minibatch(block, order, step, 10));
        }
        float[] trained = ours.params().toFloatVector();
        assertArrayEquals(dl4j.params().toFloatVector(), trained, 0f);
        assertArrayEquals(dl4j.updaterState().toFloatVector(), ours.updaterState().toFloatVector(), 0f);
        float[] initial = trainer.newNetwork().params().toFloatVector();
        assertFalse(Arrays.equals(initial, trained), "the steps trained");
        assertEquals(6, ((OwnViewUpdater) ((MultiLayerNetwork) ours.model()).getUpdater()).ordinaryUpdates(),
                "every step recognised as the network's own gradient");
    }

    @Test
    void aComputationGraphTrainsToTheBitAsWithDl4jsUpdater() {
        // The ResNet: a graph with BatchNorm, whose running statistics are not divided by the minibatch size.
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=resnet", "model.resnet.stem-channels=4",
                "model.resnet.stage-channels=[4, 8]", "model.resnet.blocks-per-stage=1",
                "train.optimizer.type=nesterovs", "train.optimizer.l2=0.001"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        Network ours = trainer.newNetwork();
        Network dl4j = trainer.newNetwork();
        ComputationGraph plain = (ComputationGraph) dl4j.model();
        plain.setUpdater(new ComputationGraphUpdater(plain, plain.getUpdater().getStateViewArray()));
        ExampleBlock block = FashionMnist.block(true, 64);
        BatchOrder order = new BatchOrder(5, 0, block.size(), 16);
        for (int step = 0; step < 4; step++) {
            ours.fit(TrainRound.minibatch(block, order, step, 10));
            dl4j.fit(TrainRound.minibatch(block, order, step, 10));
        }
        assertArrayEquals(dl4j.params().toFloatVector(), ours.params().toFloatVector(), 0f);
        assertArrayEquals(dl4j.updaterState().toFloatVector(), ours.updaterState().toFloatVector(), 0f);
        assertFalse(Arrays.equals(trainer.newNetwork().params().toFloatVector(), ours.params().toFloatVector()));
        assertEquals(4, ((OwnViewGraphUpdater) ((ComputationGraph) ours.model()).getUpdater()).ordinaryUpdates());
    }
}
