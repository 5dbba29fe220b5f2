package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.network.NetworkSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code vit} preset: it is the network its layers written in the model language build, it learns (a few
 * Adam steps lower the loss on Fashion-MNIST; the Spark trainer's loop trains it), its steps do not pile up
 * off-heap memory, its FLOPs are counted, it survives a model.zip, and its bad settings are config errors naming
 * the key.
 */
class VitTest {
    private static final InputShape IMAGE = new InputShape(1, 28, 28);
    private static final List<String> SMALL = List.of("model.type=vit", "model.vit.width=32", "model.vit.depth=2",
            "model.vit.heads=2", "model.vit.mlp-units=64");

    @TempDir
    Path dir;

    private static NetworkSpec spec(List<String> settings) {
        List<String> all = new ArrayList<>(List.of("model.kernels=dl4j", "train.optimizer.type=adam",
                "train.optimizer.learning-rate=0.002", "train.optimizer.l2=0"));
        all.addAll(settings);
        EfftrainConfig config = ConfigLoader.load(null, all);
        return Models.build(config.model(), config.train().optimizer(), config.train().precision(), IMAGE, 10,
                config.run().seed());
    }

    private static DataSet batch(int n) {
        ExampleBlock block = FashionMnist.block(true, n);
        int[] order = IntStream.range(0, n).toArray();
        float[] features = new float[n * block.featureSize()];
        float[] labels = new float[n * 10];
        block.fillFeatures(order, 0, n, features);
        block.fillOneHot(order, 0, n, 10, labels);
        return new DataSet(Nd4j.create(features, new long[]{n, block.featureSize()}),
                Nd4j.create(labels, new long[]{n, 10}));
    }

    @Test
    void thePresetIsItsLayersWrittenInTheModelLanguage() {
        NetworkSpec preset = spec(List.of("model.type=vit"));
        String block = "{type=transformer, heads=4, mlp-units=128}";
        NetworkSpec written = spec(List.of("model.type=layers", "model.layers=[{type=patch-embedding, patch=7, "
                + "width=64, class-token=true}, " + String.join(", ", java.util.Collections.nCopies(6, block))
                + ", {type=layer-norm}, {type=token-pool, mode=class}]"));
        assertEquals(NetworkSpec.Kind.STACK, preset.kind());
        assertEquals(preset.json(), written.json());
    }

    @Test
    void aFewAdamStepsLowerTheLossAndTheNetworkSurvivesAModelZip() throws IOException {
        MultiLayerNetwork net = (MultiLayerNetwork) spec(SMALL).build().model();
        DataSet data = batch(64);
        double before = net.score(data);
        for (int i = 0; i < 15; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);

        File zip = dir.resolve("vit.zip").toFile();
        ModelSerializer.writeModel(net, zip, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(zip, true);
        INDArray expected = net.output(data.getFeatures());
        assertArrayEquals(expected.ravel().toFloatVector(), restored.output(data.getFeatures()).ravel().toFloatVector(),
                1e-6f);
    }

    @Test
    void trainingStepsDoNotPileUpOffHeapMemory() {
        // The default ViT at batch 128 allocates about 40 MB of intermediates per step; outside DL4J's workspaces
        // they stayed allocated until the JVM happened to collect (17 GB within minutes in a real run).
        MultiLayerNetwork net = (MultiLayerNetwork) spec(List.of("model.type=vit")).build().model();
        DataSet data = batch(128);
        for (int i = 0; i < 3; i++) {
            net.fit(data);
        }
        // The process's resident memory: ND4J's buffers are not in JavaCPP's own count. Measured: 19 MB of growth
        // with the layers in DL4J's workspaces, 447 MB with them outside.
        long before = org.bytedeco.javacpp.Pointer.physicalBytes();
        for (int i = 0; i < 10; i++) {
            net.fit(data);
        }
        long grown = org.bytedeco.javacpp.Pointer.physicalBytes() - before;
        assertTrue(grown < 150L << 20, "off-heap memory grew by " + (grown >> 20) + " MB over 10 steps");
    }

    @Test
    void theTrainersLoopTrainsItAndCountsItsFlops() {
        List<String> settings = new ArrayList<>(SMALL);
        settings.addAll(List.of("model.vit.pool=average", "train.budget.epochs=null", "train.budget.wall-clock=null",
                "train.budget.steps=4", "train.batch-size=32", "train.steps-per-round=2"));
        EfftrainConfig config = ConfigLoader.load(null, settings);
        Trainer trainer = new Trainer(config, IMAGE, 10);
        TrainingState state = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 200))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        assertEquals(4, state.time().steps());
        assertTrue(Double.isFinite(state.lastRound().meanLoss()));

        // 16 patch tokens (no class token): embedding, two blocks, the 32 -> 10 softmax; forward x 3 to train.
        double block = 2.0 * (16 * (4.0 * 32 * 32 + 2.0 * 32 * 64) + 2.0 * 16 * 16 * 32);
        double forward = 2.0 * 16 * 49 * 32 + 2 * block + 2.0 * 32 * 10;
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(trainer.spec().json());
        assertEquals(3 * forward, FlopEstimator.trainingFlopsPerExample(conf, InputType.convolutionalFlat(28, 28, 1)),
                1e-6);
        assertEquals(3 * forward, trainer.flopsPerExample(), 1e-6);
    }

    @Test
    void badSettingsAreConfigErrorsNamingTheKey() {
        EfftrainException heads = assertThrows(EfftrainException.class,
                () -> spec(List.of("model.type=vit", "model.vit.heads=5")));
        assertEquals(ExitCode.BAD_CONFIG, heads.exitCode());
        assertTrue(heads.getMessage().contains("model.vit.heads") && heads.getMessage().contains("divisor of"),
                heads.getMessage());

        EfftrainException patch = assertThrows(EfftrainException.class,
                () -> spec(List.of("model.type=vit", "model.vit.patch=5")));
        assertEquals(ExitCode.BAD_CONFIG, patch.exitCode());
        assertTrue(patch.getMessage().contains("model.vit.patch = 5 does not divide the 28x28"), patch.getMessage());

        EfftrainException pool = assertThrows(EfftrainException.class,
                () -> spec(List.of("model.type=vit", "model.vit.pool=max")));
        assertTrue(pool.getMessage().contains("model.vit.pool") && pool.getMessage().contains("class or average"),
                pool.getMessage());
    }
}
