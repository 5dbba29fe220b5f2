package io.efftrain.pipeline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The incubation section is typed and checked like every other: bad values and unknown keys name the key. */
class IncubationSettingsTest {
    @Test
    void defaultsAndPhaseSettingsAreRead() {
        IncubationSettings off = ConfigLoader.load(null, List.of()).incubation();
        assertFalse(off.enabled());
        assertTrue(off.parallelModules());
        assertEquals(1, off.metaBlocksPerStage());
        assertTrue(off.fineTune().learningRate().isEmpty());

        IncubationSettings on = ConfigLoader.load(null, List.of("incubation.enabled=true",
                "incubation.meta.blocks-per-stage=2", "incubation.modules.learning-rate=0.01",
                "incubation.modules.budget.wall-clock=90s", "incubation.modules.parallel=false",
                "incubation.modules.attempts=5")).incubation();
        assertTrue(on.enabled());
        assertEquals(2, on.metaBlocksPerStage());
        assertEquals(0.01, on.modules().learningRate().getAsDouble(), 1e-15);
        assertEquals(Duration.ofSeconds(90), on.modules().budget().wallClock().orElseThrow());
        assertFalse(on.parallelModules());
        assertEquals(5, on.moduleAttempts());
    }

    @Test
    void badValuesNameTheirKey() {
        for (String bad : List.of("incubation.modules.attempts=0", "incubation.meta.blocks-per-stage=0",
                "incubation.fine-tune.learning-rate=-1", "incubation.modules.attempts=101")) {
            EfftrainException e = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null, List.of(bad)));
            assertEquals(ExitCode.BAD_CONFIG, e.exitCode());
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
        }
        EfftrainException noLimit = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null,
                List.of("incubation.meta.budget.epochs=null")));
        assertTrue(noLimit.getMessage().contains("incubation.meta.budget.epochs"), noLimit.getMessage());
        EfftrainException typo = assertThrows(EfftrainException.class, () -> ConfigLoader.load(null,
                List.of("incubation.modules.paralel=false")));
        assertTrue(typo.getMessage().contains("incubation.modules.paralel"), typo.getMessage());
    }
}
