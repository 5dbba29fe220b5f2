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
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A layer stack's updater takes DL4J's ordinary path over the network's own gradient view, and trains exactly as
 * DL4J's updater does on its path for outside gradients: same parameters and updater state to the bit, with and
 * without regularisation, on DL4J's layers and on the fast CPU path.
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
    void trainsToTheBitAsDl4jsUpdaterDoes(String settings) {
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
}
