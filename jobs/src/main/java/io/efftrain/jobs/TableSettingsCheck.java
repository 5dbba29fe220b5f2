package io.efftrain.jobs;

import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.config.NormalizationType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Which {@code data.*} settings a run on {@code data.source = table} does not apply. A canonical table is used as
 * it was prepared: its normalisation and its slices were fixed then, so a different setting in the run's config
 * would otherwise be ignored without a word (a user comparing normalisations would compare two identical runs).
 */
final class TableSettingsCheck {
    private TableSettingsCheck() {
    }

    /** One sentence per setting the table contradicts, naming the key and saying how to get what it asks. */
    static List<String> notApplied(DataSettings data, String table, NormalizationType tableNormalization,
                                   Map<String, Long> countsBySplit) {
        List<String> out = new ArrayList<>();
        if (data.normalization() != tableNormalization) {
            out.add(String.format(Locale.ROOT, "data.normalization = %s is not applied: the table %s was prepared "
                    + "with %s, and a table's features are fed as it was prepared. Prepare the table again with "
                    + "data.normalization = %s (efftrain prepare) to train on that.", name(data.normalization()),
                    table, name(tableNormalization), name(data.normalization())));
        }
        limitNotApplied("data.train-limit", data.trainLimit(), table, PrepareStage.TRAIN, countsBySplit, out);
        limitNotApplied("data.test-limit", data.testLimit(), table, PrepareStage.TEST, countsBySplit, out);
        return out;
    }

    private static void limitNotApplied(String key, OptionalLong limit, String table, String split,
                                        Map<String, Long> countsBySplit, List<String> out) {
        long rows = countsBySplit.getOrDefault(split, 0L);
        if (limit.isPresent() && rows > limit.getAsLong()) {
            out.add(String.format(Locale.ROOT, "%s = %d is not applied: the table %s has %d %s examples and is "
                    + "used as it is. Prepare a sliced table (efftrain prepare with %s) to train on fewer.", key,
                    limit.getAsLong(), table, rows, split, key));
        }
    }

    private static String name(NormalizationType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }
}
