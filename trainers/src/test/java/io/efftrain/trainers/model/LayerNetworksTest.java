package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model language and DL4J JSON networks: the LeNet written layer by layer, or as DL4J's JSON, is the very
 * network the {@code lenet} preset builds; a residual network becomes a graph that trains; and every bad spec is
 * a config error that names the layer and key.
 */
class LayerNetworksTest {
    private static final InputShape IMAGE = new InputShape(1, 28, 28);
    private static final String LENET_LAYERS = "model.layers=[{type=conv, filters=20, kernel=5, activation=relu},"
            + " {type=max-pool, size=2}, {type=conv, filters=50, kernel=5, activation=relu}, {type=max-pool, size=2},"
            + " {type=dense, units=500, activation=relu}]";

    @TempDir
    Path dir;

    private static NetworkSpec spec(String... settings) {
        List<String> all = new ArrayList<>(List.of("model.kernels=dl4j"));
        all.addAll(List.of(settings));
        EfftrainConfig config = ConfigLoader.load(null, all);
        return Models.build(config.model(), config.train().optimizer(), config.train().precision(), IMAGE, 10,
                config.run().seed());
    }

    @Test
    void theLenetWrittenLayerByLayerOrAsDl4jJsonIsTheLenetPreset() throws IOException {
        NetworkSpec preset = spec("model.type=lenet");
        NetworkSpec written = spec("model.type=layers", LENET_LAYERS);
        assertEquals(NetworkSpec.Kind.STACK, written.kind());
        assertEquals(preset.json(), written.json(), "the same layers, seed and updater: the same network");

        Path json = Files.writeString(dir.resolve("lenet.json"), preset.json());
        NetworkSpec loaded = spec("model.type=dl4j-json", "model.dl4j-json=\"" + json + "\"");
        assertEquals(preset.json(), loaded.json());
    }

    @Test
    void aResidualNetworkIsAGraphThatTrains() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=layers", "model.layers=["
                + "{type=conv, filters=8, kernel=3, padding=same, activation=relu}, {type=batch-norm},"
                + " {type=residual, layers=[{type=conv, filters=8, kernel=3, padding=same, activation=relu},"
                + " {type=conv, filters=8, kernel=3, padding=same}, {type=batch-norm}]},"
                + " {type=residual, layers=[{type=conv, filters=16, kernel=3, stride=2, padding=same}, {type=batch-norm}]},"
                + " {type=global-avg-pool}, {type=dropout, rate=0.1}, {type=dense, units=32, activation=gelu}]",
                "train.budget.epochs=null", "train.budget.wall-clock=null", "train.budget.steps=6",
                "train.batch-size=32", "train.steps-per-round=3"));
        Trainer trainer = new Trainer(config, IMAGE, 10);
        assertEquals(NetworkSpec.Kind.GRAPH, trainer.spec().kind());
        assertTrue(trainer.spec().json().contains("_proj"), "the strided block gets a projection shortcut");
        TrainingState state = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 300))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        assertEquals(6, state.time().steps());
        assertTrue(Double.isFinite(state.lastRound().meanLoss()) && trainer.flopsPerExample() > 0);
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("[{type=convolution, filters=8, kernel=3}]",
                        List.of("model.layers[0].type", "one of", "conv", "'convolution'")),
                Arguments.of("[{type=conv, kernel=3}]", List.of("model.layers[0].filters", "missing")),
                Arguments.of("[{type=dense, units=10, activaton=relu}]",
                        List.of("model.layers[0].activaton", "a dense layer takes activation, units")),
                Arguments.of("[{type=conv, filters=4, kernel=5}, {type=max-pool, size=2}, {type=conv, filters=4, "
                        + "kernel=5}, {type=max-pool, size=2}, {type=conv, filters=4, kernel=5}]",
                        List.of("model.layers[4]", "kernel of 5 is larger than its input of 4x4x4")),
                Arguments.of("[{type=dense, units=10}, {type=conv, filters=4, kernel=3}]",
                        List.of("model.layers[1]", "conv layer needs an image input", "10 values")),
                Arguments.of("[{type=dropout, rate=1}]", List.of("model.layers[0].rate", "probability")),
                Arguments.of("[{type=dense, units=-3}]", List.of("model.layers[0].units", "above 0")),
                Arguments.of("[{type=dense, units=8, activation=swish}]",
                        List.of("model.layers[0].activation", "one of relu, gelu")),
                Arguments.of("[{type=conv, filters=4, kernel=3, padding=full}]",
                        List.of("model.layers[0].padding", "same or valid", "'full'")),
                Arguments.of("[]", List.of("model.layers", "at least one layer")),
                Arguments.of("[{type=residual, layers=[{type=conv, filters=4, kernel=3, stride=3, padding=same}]}]",
                        List.of("model.layers[0]", "28x28x1 into 10x10x4", "whole-number downsampling")),
                Arguments.of("[{type=residual, layers=[{type=dense, units=8}]}]",
                        List.of("model.layers[0].layers[0]", "must keep an image")),
                Arguments.of("[{type=residual, layers=[{type=residual, layers=[{type=batch-norm}]}]}]",
                        List.of("model.layers[0].layers[0]", "inside a residual block")),
                Arguments.of("[{type=global-avg-pool}, {type=max-pool, size=2}]",
                        List.of("model.layers[1]", "max-pool layer needs an image input", "1 values")),
                Arguments.of("[{type=residual}]", List.of("model.layers[0].layers", "missing")),
                Arguments.of("[{type=patch-embedding, patch=5, width=16}, {type=token-pool}]",
                        List.of("model.layers[0].patch", "a patch of 5 does not divide its input of 28x28x1")),
                Arguments.of("[{type=patch-embedding, patch=7, width=30}, {type=transformer, heads=4, mlp-units=32},"
                        + " {type=token-pool}]", List.of("model.layers[1].heads", "4 heads do not divide", "30")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16}, {type=transformer, mlp-units=32}]",
                        List.of("model.layers[1].heads", "missing")),
                Arguments.of("[{type=transformer, heads=2, mlp-units=8}]", List.of("model.layers[0]",
                        "transformer layer needs a sequence of tokens", "28x28x1", "patch-embedding before it")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16}, {type=dense, units=8}]",
                        List.of("model.layers[1]", "dense layer needs an image or a vector",
                                "a sequence of 17 tokens of 16 values", "after a token-pool")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16}, {type=layer-norm}]",
                        List.of("model.layers[1]", "ends in a sequence", "token-pool")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16, class-token=false}, {type=token-pool}]",
                        List.of("model.layers[1].mode", "class-token = false")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16}, {type=token-pool, mode=max}]",
                        List.of("model.layers[1].mode", "class or average", "'max'")),
                Arguments.of("[{type=layer-norm}]",
                        List.of("model.layers[0]", "layer-norm layer needs a sequence or a vector")),
                Arguments.of("[{type=patch-embedding, patch=7, width=16, heads=2}]",
                        List.of("model.layers[0].heads", "a patch-embedding layer takes class-token, patch, width")));
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void aBadSpecIsAConfigErrorNamingTheLayerAndKey(String layers, List<String> fragments) {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> spec("model.type=layers", "model.layers=" + layers));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void aBadDl4jJsonFileIsAConfigErrorNamingTheFile() throws IOException {
        EfftrainException missing = assertThrows(EfftrainException.class,
                () -> spec("model.type=dl4j-json", "model.dl4j-json=\"" + dir.resolve("nope.json") + "\""));
        assertTrue(missing.getMessage().contains("nope.json") && missing.getMessage().contains("cannot be read"),
                missing.getMessage());

        Path notJson = Files.writeString(dir.resolve("bad.json"), "{ \"layers\": 3 ");
        EfftrainException bad = assertThrows(EfftrainException.class,
                () -> spec("model.type=dl4j-json", "model.dl4j-json=\"" + notJson + "\""));
        assertTrue(bad.getMessage().contains("bad.json") && bad.getMessage().contains("not a MultiLayerConfiguration"),
                bad.getMessage());

        String fiveClasses = Models.build(ConfigLoader.load(null, List.of("model.type=mlp")).model(),
                ConfigLoader.load(null, List.of()).train().optimizer(),
                ConfigLoader.load(null, List.of()).train().precision(), IMAGE, 5, 1).json();
        Path five = Files.writeString(dir.resolve("five.json"), fiveClasses);
        EfftrainException classes = assertThrows(EfftrainException.class,
                () -> spec("model.type=dl4j-json", "model.dl4j-json=\"" + five + "\""));
        assertTrue(classes.getMessage().contains("has 5 units, but the data has 10 classes"), classes.getMessage());

        EfftrainException unset = assertThrows(EfftrainException.class, () -> spec("model.type=dl4j-json"));
        assertTrue(unset.getMessage().contains("model.dl4j-json"), unset.getMessage());

        EfftrainException fast = assertThrows(EfftrainException.class, () -> new Trainer(ConfigLoader.load(null,
                List.of("model.type=layers", LENET_LAYERS, "model.kernels=fast-cpu")), IMAGE, 10));
        assertTrue(fast.getMessage().contains("model.kernels = fast-cpu") && fast.getMessage().contains("layers"),
                fast.getMessage());
    }
}
