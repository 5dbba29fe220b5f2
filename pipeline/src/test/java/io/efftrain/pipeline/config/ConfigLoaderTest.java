package io.efftrain.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("test.conf");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void fileOverridesDefaultsAndSetOverridesFile() throws IOException {
        Path file = write("train.batch-size = 32\ntrain.budget.wall-clock = 90s\n");
        EfftrainConfig config = ConfigLoader.load(file, List.of("train.batch-size=128", "model.type=mlp"));
        assertEquals(128, config.train().batchSize());
        assertEquals(Duration.ofSeconds(90), config.train().budget().wallClock().orElseThrow());
        assertEquals(ModelType.MLP, config.model().type());
        assertEquals(0.02, config.train().optimizer().learningRate(), 1e-12);
    }

    @Test
    void unknownKeyIsRejectedWithItsNameLineAndASuggestion() throws IOException {
        Path file = write("train {\n  batchsize = 32\n}\n");
        EfftrainException e = assertThrows(EfftrainException.class, () -> ConfigLoader.load(file, List.of()));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("unknown key 'train.batchsize'"), e.getMessage());
        assertTrue(e.getMessage().contains("test.conf: 2"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'train.batch-size'"), e.getMessage());
    }

    @Test
    void unknownKeySetToNullIsStillRejected() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("train.budget.epoch=null")));
        assertTrue(e.getMessage().contains("unknown key 'train.budget.epoch'"), e.getMessage());
        assertTrue(e.getMessage().contains("--set train.budget.epoch=null"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyOriginAndExpectation() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("train.batch-size=large")));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("'train.batch-size' must be a whole number"), e.getMessage());
        assertTrue(e.getMessage().contains("--set train.batch-size=large"), e.getMessage());
    }

    @Test
    void enumValueOutsideTheChoicesListsThem() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("train.schedule=cosinus")));
        assertTrue(e.getMessage().contains("one of constant, step, cosine, linear-to-zero, rex, one-cycle"), e.getMessage());
    }

    @Test
    void budgetWithoutAnyLimitIsRejected() {
        EfftrainException e = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null,
                List.of("train.budget.epochs=null", "train.budget.wall-clock=null")));
        assertTrue(e.getMessage().contains("train.budget.epochs"), e.getMessage());
    }

    @Test
    void emaAndSwaTogetherAreRejected() {
        EfftrainException e = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null,
                List.of("train.weight-averaging.ema-decay=0.999", "train.weight-averaging.swa-start=0.5")));
        assertTrue(e.getMessage().contains("'train.weight-averaging.swa-start'"), e.getMessage());
    }

    @Test
    void sparkPropertiesPassThroughUnchecked() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("spark.conf.\"spark.executor.memory\"=4g"));
        assertEquals("4g", config.spark().conf().get("spark.executor.memory"));
    }

    @Test
    void renderedConfigParsesBackToTheSameValues() throws IOException {
        EfftrainConfig config = ConfigLoader.load(null, List.of("train.batch-size=96"));
        Path rendered = write(config.render());
        EfftrainConfig again = ConfigLoader.load(rendered, List.of());
        assertEquals(config.train(), again.train());
        assertEquals(config.model(), again.model());
    }

    @Test
    void missingFileIsABadConfig() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(dir.resolve("nope.conf"), List.of()));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("nope.conf"), e.getMessage());
    }

    @Test
    void issue4SettingsAreTypedAndValidated() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("train.optimizer.type=lamb", "train.precision=float16",
                "train.freezing.layers=2", "train.freezing.until=0.25", "model.type=resnet",
                "model.resnet.stage-channels=[8, 16]"));
        assertEquals(OptimizerType.LAMB, config.train().optimizer().type());
        assertEquals(0.001, config.train().optimizer().trustCoefficient(), 1e-15);
        assertEquals(Precision.FLOAT16, config.train().precision());
        assertEquals(2, config.train().freezing().layers().getAsInt());
        assertEquals(0.25, config.train().freezing().until(), 1e-15);
        assertEquals(List.of(8, 16), config.model().resnetStageChannels());
        assertTrue(ConfigLoader.load(null, List.of()).train().freezing().layers().isEmpty(), "freezing is off by default");

        EfftrainException bfloat = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("train.precision=bfloat16")));
        assertTrue(bfloat.getMessage().contains("float32, float16"), bfloat.getMessage());
        EfftrainException until = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("train.freezing.until=1.5")));
        assertTrue(until.getMessage().contains("train.freezing.until"), until.getMessage());
        EfftrainException stages = assertThrows(EfftrainException.class,
                () -> ConfigLoader.load(null, List.of("model.resnet.stage-channels=[]")));
        assertTrue(stages.getMessage().contains("model.resnet.stage-channels"), stages.getMessage());
    }

    @Test
    void aSetPathWithDoubleSlashesOrAHashIsTakenWholeNotCutAsAComment() {
        EfftrainConfig config = ConfigLoader.load(null,
                List.of("data.csv.train=hdfs://namenode:8020/lake//fashion#1.csv"));
        assertTrue(config.render().contains("hdfs://namenode:8020/lake//fashion#1.csv"), config.render());
        assertEquals("[1, 2]", ConfigLoader.hoconValue("[1, 2]"));
        assertEquals("\"a//b\"", ConfigLoader.hoconValue("\"a//b\""));
        assertEquals("0.5", ConfigLoader.hoconValue("0.5"));
    }
}
