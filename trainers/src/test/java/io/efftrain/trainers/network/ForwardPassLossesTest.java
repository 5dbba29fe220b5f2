package io.efftrain.trainers.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.model.InputShape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The per-example losses taken from the training step's own forward pass equal a separate forward pass at the
 * same parameters, for a layer stack and for a graph with BatchNorm, and the step itself is unchanged.
 */
class ForwardPassLossesTest {
    private static final ExampleBlock BLOCK = FashionMnist.block(true, 32);

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet", "resnet"})
    void lossesFromTheStepEqualASeparateForwardPass(String model) {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=" + model, "model.mlp.hidden=[16]",
                "model.resnet.stem-channels=4", "model.resnet.stage-channels=[4, 8]",
                "model.resnet.blocks-per-stage=1", "train.optimizer.l2=0"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        ParameterState start = NetworkState.capture(trainer.newNetwork());
        MinibatchState batch = TrainRound.minibatchState(BLOCK, new BatchOrder(1, 0, 32, 32), 0, 10, 0, 1);
        DataSet data = TrainRound.toDataSet(batch);

        Network separate = trainer.newNetwork();
        NetworkState.load(separate, start);
        float[] expected = ExampleLosses.crossEntropy(separate.output(data.getFeatures(), true), batch.labels(), 10);
        separate.fit(data);

        Network listened = trainer.newNetwork();
        NetworkState.load(listened, start);
        float[] losses = listened.fitWithExampleLosses(data, batch.labels());
        assertArrayEquals(expected, losses, 2e-4f, model);
        assertArrayEquals(separate.params().toFloatVector(), listened.params().toFloatVector(), 1e-6f,
                model + ": the step is the same step");
        double mean = 0;
        for (float loss : losses) {
            mean += loss / losses.length;
        }
        assertEquals(listened.score(), mean, 1e-3, model + ": their mean is the minibatch loss (no L2 here)");
        // A second step reuses the listener.
        assertEquals(32, listened.fitWithExampleLosses(data, batch.labels()).length);
    }
}
