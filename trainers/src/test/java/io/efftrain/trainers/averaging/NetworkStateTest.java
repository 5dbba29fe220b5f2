package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.model.InputShape;
import java.util.Arrays;
import java.util.List;
import io.efftrain.trainers.network.Network;
import org.nd4j.linalg.dataset.DataSet;
import org.junit.jupiter.api.Test;

class NetworkStateTest {
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=mlp",
            "model.mlp.hidden=[16]", "train.optimizer.l2=0"));

    @Test
    void inPlaceLearningRateIsWhatTheUpdaterUses() {
        ExampleBlock block = FashionMnist.block(true, 64);
        DataSet batch = TrainRound.minibatch(block, new BatchOrder(1, 0, 64, 64), 0, 10);
        Network net = new Trainer(CONFIG, new InputShape(1, 28, 28), 10).newNetwork();
        float[] before = net.params().toFloatVector();
        NetworkState.setLearningRate(net, 0.0);
        net.fit(batch);
        net.fit(batch);
        assertArrayEquals(before, net.params().toFloatVector(), 0f, "a zero learning rate changes nothing");
        NetworkState.setLearningRate(net, 0.1);
        net.fit(batch);
        assertFalse(Arrays.equals(before, net.params().toFloatVector()), "a positive rate trains");
    }

    @Test
    void captureAndLoadRoundTripParametersUpdaterStateAndIteration() {
        ExampleBlock block = FashionMnist.block(true, 64);
        DataSet batch = TrainRound.minibatch(block, new BatchOrder(1, 0, 64, 64), 0, 10);
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        Network trained = trainer.newNetwork();
        trained.fit(batch);
        trained.fit(batch);
        ParameterState state = NetworkState.capture(trained);
        assertEquals(2, state.iteration());
        Network copy = trainer.newNetwork();
        NetworkState.load(copy, state);
        ParameterState again = NetworkState.capture(copy);
        assertArrayEquals(state.parameters(), again.parameters(), 0f);
        assertArrayEquals(state.updaterState(), again.updaterState(), 0f);
        assertEquals(state.iteration(), again.iteration());
    }

    @Test
    void aNewLearningRateReachesEveryLayerOfTheVitAndTheLeNet() {
        for (String type : List.of("vit", "lenet")) {
            EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=" + type, "model.kernels=dl4j"));
            Network net = new Trainer(config, new InputShape(1, 28, 28), 10).newNetwork();
            NetworkState.setLearningRate(net, 0.0123);
            assertEquals(java.util.Set.of(0.0123), NetworkState.learningRates(net), type);
        }
    }
}
