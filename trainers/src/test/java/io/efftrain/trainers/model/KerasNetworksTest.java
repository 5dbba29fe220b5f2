package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.network.NetworkSpec;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * model.type = keras on real Keras model files (HDF5 in Keras 2's layout, written by make_models.py beside them with
 * h5py): a Sequential MLP imports as a MultiLayerNetwork with efftrain's update rule and output layer and trains on
 * Fashion-MNIST; a Keras layer DL4J does not map, a wrong class count and a missing file are config errors that name
 * the layer or the file.
 */
class KerasNetworksTest {
    private static final InputShape IMAGE = new InputShape(1, 28, 28);

    private static String resource(String name) {
        try {
            return Path.of(KerasNetworksTest.class.getResource("/keras/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EfftrainConfig config(String file, String... more) {
        List<String> overrides = new ArrayList<>(List.of("model.type=keras", "model.keras=\"" + file + "\"",
                "train.optimizer.type=adam", "train.optimizer.learning-rate=0.002"));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void aSequentialKerasModelImportsWithEfftrainsOptimizerAndTrains() {
        EfftrainConfig config = config(resource("mlp.h5"), "train.budget.epochs=4", "train.batch-size=32");
        Trainer trainer = new Trainer(config, IMAGE, 10);
        assertEquals(NetworkSpec.Kind.STACK, trainer.spec().kind());
        MultiLayerConfiguration stack = MultiLayerConfiguration.fromJson(trainer.spec().json());
        DenseLayer hidden = assertInstanceOf(DenseLayer.class, stack.getConf(0).getLayer());
        assertEquals(784, hidden.getNIn());
        assertEquals(32, hidden.getNOut());
        OutputLayer output = assertInstanceOf(OutputLayer.class, stack.getConf(1).getLayer());
        assertEquals(10, output.getNOut());
        assertInstanceOf(WeightableCrossEntropy.class, output.getLossFn());
        IUpdater updater = hidden.getIUpdater();
        assertTrue(updater.getClass().getSimpleName().contains("Adam"), "efftrain's optimizer, not the file's: "
                + updater);
        assertEquals(0.002, updater.getLearningRate(0, 0), 1e-9);

        TrainingState state = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 2000))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        double accuracy = trainer.evaluate(new LocalBlockSet(List.of(FashionMnist.block(false, 500))),
                state.model()).accuracy();
        System.out.println("Keras MLP (784-32-10) imported from mlp.h5, 4 epochs on 2,000 Fashion-MNIST images: "
                + "test accuracy " + accuracy);
        assertTrue(accuracy > 0.75, "the imported network learns: " + accuracy);
    }

    @Test
    void aKerasLayerThatDoesNotMapIsNamed() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> new Trainer(config(resource("random-flip.h5")), IMAGE, 10));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        System.out.println("random-flip.h5: " + e.getMessage());
        assertTrue(e.getMessage().contains("model.keras = ") && e.getMessage().contains("RandomFlip"),
                e.getMessage());
    }

    @Test
    void aWrongClassCountAndAMissingFileAreConfigErrors() {
        EfftrainException classes = assertThrows(EfftrainException.class,
                () -> new Trainer(config(resource("mlp.h5")), IMAGE, 5));
        assertTrue(classes.getMessage().contains("'dense_1' has 10 units, but the data has 5 classes"),
                classes.getMessage());
        EfftrainException missing = assertThrows(EfftrainException.class,
                () -> new Trainer(config("/nonexistent/model.h5"), IMAGE, 10));
        assertTrue(missing.getMessage().contains("model.keras = /nonexistent/model.h5: no such readable file"),
                missing.getMessage());
        EfftrainException unset = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("model.type=keras")));
        assertTrue(unset.getMessage().contains("model.keras"), unset.getMessage());
        EfftrainException regression = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null,
                List.of("model.type=keras", "model.keras=x.h5", "model.task=regression")));
        assertTrue(regression.getMessage().contains("model.task"), regression.getMessage());
    }
}
