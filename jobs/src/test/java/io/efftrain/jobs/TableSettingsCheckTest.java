package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.config.NormalizationType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableSettingsCheckTest {
    private static final String TABLE = "file:///data/fmnist";
    private static final Map<String, Long> COUNTS = Map.of("train", 60_000L, "test", 10_000L);

    private static DataSettings data(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).data();
    }

    @Test
    void settingsTheTableAgreesWithAreNotReported() {
        assertEquals(List.of(), TableSettingsCheck.notApplied(data("data.source=table",
                "data.table=\"" + TABLE + "\""), TABLE, NormalizationType.SCALE, COUNTS));
        // The quick benchmark prepares a slice and trains on it with the same limits still set: nothing to say.
        assertEquals(List.of(), TableSettingsCheck.notApplied(data("data.train-limit=12000", "data.test-limit=2000"),
                TABLE, NormalizationType.SCALE, Map.of("train", 12_000L, "test", 2_000L)));
    }

    @Test
    void aNormalisationOtherThanTheTablesIsNamedWithTheTableAndTheFix() {
        List<String> notApplied = TableSettingsCheck.notApplied(data("data.normalization=standardize"), TABLE,
                NormalizationType.SCALE, COUNTS);

        assertEquals(1, notApplied.size(), notApplied::toString);
        assertContains(notApplied.get(0), "data.normalization = standardize is not applied", TABLE,
                "prepared with scale", "efftrain prepare");
    }

    @Test
    void aLimitBelowTheTablesRowsIsReportedPerSplit() {
        List<String> notApplied = TableSettingsCheck.notApplied(data("data.train-limit=1000", "data.test-limit=500"),
                TABLE, NormalizationType.SCALE, COUNTS);

        assertEquals(2, notApplied.size(), notApplied::toString);
        assertContains(notApplied.get(0), "data.train-limit = 1000 is not applied", "60000 train examples");
        assertContains(notApplied.get(1), "data.test-limit = 500 is not applied", "10000 test examples");
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }
}
