package io.efftrain.trainers.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** train.precision sets the network's data type; float16 training runs and reaches float32's accuracy. */
class PrecisionTest {
    private static double trainedAccuracy(String precision, DataType expected) {
        // Adam, because it is the updater float16 breaks without its larger epsilon.
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[64]",
                "train.precision=" + precision, "train.optimizer.type=adam", "train.optimizer.learning-rate=0.003",
                "train.optimizer.l2=0", "train.budget.epochs=2", "train.budget.wall-clock=null"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        Network net = trainer.newNetwork();
        assertEquals(expected, net.params().dataType());
        assertEquals(expected, net.updaterState().dataType());
        TrainingState trained = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 2000))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        return trainer.evaluate(new LocalBlockSet(List.of(FashionMnist.block(false, 1000))), trained.model()).accuracy();
    }

    @Test
    void float16NetworksComputeInHalfAndLearnAsWellAsFloat32() {
        double single = trainedAccuracy("float32", DataType.FLOAT);
        double half = trainedAccuracy("float16", DataType.HALF);
        assertTrue(single > 0.72, "float32 trained to " + single);
        assertEquals(single, half, 0.03, "float16 accuracy holds");
    }
}
