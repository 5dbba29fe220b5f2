package io.efftrain.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigValue;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TuneSettingsTest {
    @TempDir
    Path dir;

    private TuneSettings load(String text) throws IOException {
        Path file = dir.resolve("tune.conf");
        Files.writeString(file, text);
        return ConfigLoader.load(file, List.of()).tune();
    }

    private EfftrainException rejected(String text) throws IOException {
        Path file = dir.resolve("tune.conf");
        Files.writeString(file, text);
        EfftrainException e = assertThrows(EfftrainException.class, () -> ConfigLoader.load(file, List.of()));
        assertEquals(ExitCode.BAD_CONFIG, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void spaceOfValuesAndLogUniformGrids() throws IOException {
        TuneSettings tune = load("""
                tune {
                  eta = 2
                  trials = 4
                  space = [
                    { key = train.optimizer.learning-rate, log-uniform = [0.001, 0.008], samples = 4 }
                    { key = train.batch-size, log-uniform = [32, 128], samples = 3 }
                    { key = train.regularization.label-smoothing, values = [null, 0.1] }
                  ]
                }
                """);
        assertEquals(2, tune.eta());
        assertEquals(4, tune.trials().getAsInt());
        assertEquals(List.of(0.001, 0.002, 0.004, 0.008), numbers(tune.space().get(0).values()));
        // Whole-number ends give whole-number points: a batch size of 45.25 would be rejected by the trial.
        assertEquals(List.of(32, 64, 128), tune.space().get(1).values().stream().map(ConfigValue::unwrapped).toList());
        assertEquals("null", tune.space().get(2).values().get(0).render());
        assertEquals(4 * 3 * 2, tune.gridSize());
    }

    @Test
    void defaultsSearchNothingAndJudgeOnATenthHeldOut() {
        TuneSettings tune = ConfigLoader.load(null, List.of()).tune();
        assertEquals(TuneMethod.SUCCESSIVE_HALVING, tune.method());
        assertEquals(List.of(), tune.space());
        assertEquals(1, tune.gridSize());
        assertEquals(0.1, tune.validation().getAsDouble(), 0);
    }

    @Test
    void unknownKeyInTheSpaceIsNamedWithASuggestion() throws IOException {
        EfftrainException e = rejected("tune.space = [{ key = train.optimizer.learning-rat, values = [0.1] }]\n");
        assertTrue(e.getMessage().contains("tune.space[0].key: unknown key 'train.optimizer.learning-rat'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'train.optimizer.learning-rate'"), e.getMessage());
        assertTrue(e.getMessage().contains("tune.conf: 1"), e.getMessage());
    }

    @Test
    void keysTuneSetsItselfOrThatChangeTheDataAreRefused() throws IOException {
        for (String key : List.of("train.budget.epochs", "data.train-limit", "train.evaluation.split")) {
            EfftrainException e = rejected("tune.space = [{ key = " + key + ", values = [1] }]\n");
            assertTrue(e.getMessage().contains("'tune.space[0].key' must be a key under train."), e.getMessage());
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        EfftrainException section = rejected("tune.space = [{ key = train.optimizer, values = [1] }]\n");
        assertTrue(section.getMessage().contains("a single setting, not a section"), section.getMessage());
    }

    @Test
    void malformedDimensionsAreNamed() throws IOException {
        assertTrue(rejected("tune.space = [{ key = train.batch-size }]\n").getMessage()
                .contains("'tune.space[0].values' must be exactly one of values"));
        assertTrue(rejected("tune.space = [{ key = train.batch-size, values = [] }]\n").getMessage()
                .contains("'tune.space[0].values' must be a non-empty list"));
        assertTrue(rejected("tune.space = [{ key = train.warmup, log-uniform = [0, 0.1], samples = 3 }]\n")
                .getMessage().contains("0 < low < high"));
        assertTrue(rejected("tune.space = [{ key = train.warmup, log-uniform = [0.01, 0.1] }]\n").getMessage()
                .contains("'tune.space[0].samples' must be the number of grid points"));
        assertTrue(rejected("tune.space = [{ key = train.warmup, values = [0], step = 2 }]\n").getMessage()
                .contains("'tune.space[0].step' must be absent"));
        assertTrue(rejected("tune.space = [{ key = train.warmup, values = [0] }, { key = train.warmup, values = [0.1] }]\n")
                .getMessage().contains("a key no other dimension of tune.space names"));
        assertTrue(rejected("tune.eta = 1\n").getMessage().contains("'tune.eta' must be a whole number of at least 2"));
        assertTrue(rejected("tune.budget = 0.5\n").getMessage().contains("'tune.budget' must be at least 1"));
    }

    private static List<Double> numbers(List<ConfigValue> values) {
        return values.stream().map(v -> ((Number) v.unwrapped()).doubleValue()).toList();
    }
}
