package io.efftrain.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Configs derived in code (a scoring proxy, a tune trial) change the typed view and the resolved HOCON together,
 * so what a derived run writes as config.conf loads back as the same run.
 */
class DerivedConfigTest {
    private static final EfftrainConfig BASE = ConfigLoader.load(null, List.of("train.budget.epochs=6",
            "train.budget.wall-clock=90s", "train.evaluation.every-epochs=1", "train.evaluation.target-accuracy=0.9",
            "train.evaluation.patience=3", "run.seed=11", "train.batch-size=32"));

    @Test
    void aProxyConfigHasItsSeedAnEpochBudgetAndNoEvaluationStops() {
        EfftrainConfig proxy = BASE.withSeed(12, "test").withBudget(BudgetSettings.ofEpochs(2), "test")
                .withoutEvaluationStops("test");
        assertEquals(12, proxy.run().seed());
        assertEquals(2.0, proxy.train().budget().epochs().getAsDouble());
        assertTrue(proxy.train().budget().wallClock().isEmpty(), "the base's wall-clock limit is gone");
        assertTrue(proxy.train().evaluation().everyEpochs().isEmpty());
        assertTrue(proxy.train().evaluation().targetAccuracy().isEmpty());
        assertTrue(proxy.train().evaluation().patience().isEmpty());
        assertEquals(32, proxy.train().batchSize(), "everything else is the base's");
        EfftrainConfig reloaded = reloaded(proxy);
        assertEquals(proxy.run(), reloaded.run(), "config.conf of the derived run loads back as the same run");
        assertEquals(proxy.train(), reloaded.train());
    }

    @Test
    void aScaledBudgetScalesEveryCountAndDropsTheWallClock() {
        BudgetSettings scaled = new BudgetSettings(java.util.OptionalDouble.of(6), java.util.OptionalLong.of(1000),
                java.util.OptionalLong.of(3), java.util.Optional.of(Duration.ofSeconds(90)),
                java.util.OptionalDouble.of(1e12)).scaledWithoutWallClock(0.25);
        assertEquals(1.5, scaled.epochs().getAsDouble());
        assertEquals(250, scaled.steps().getAsLong());
        assertEquals(1, scaled.samples().getAsLong(), "rounded, and never below one");
        assertEquals(2.5e11, scaled.flops().getAsDouble());
        assertTrue(scaled.wallClock().isEmpty());

        EfftrainConfig withWallClock = BASE.withBudget(new BudgetSettings(java.util.OptionalDouble.empty(),
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                java.util.Optional.of(Duration.ofMillis(61500))), "test").withWorkers(3, "test");
        assertEquals(Duration.ofMillis(61500), withWallClock.train().budget().wallClock().orElseThrow());
        assertTrue(withWallClock.train().budget().epochs().isEmpty());
        assertEquals(3, withWallClock.train().workers().getAsInt());
    }

    private static EfftrainConfig reloaded(EfftrainConfig config) {
        return ConfigLoader.fromUserLayer(ConfigFactory.parseString(config.render()));
    }
}
