package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * A CSV source: files (or directories of files) with a header line.
 *
 * @param paths train and test files or directories
 * @param labelColumn the header name of the label column (whole numbers from 0)
 * @param featureColumns the feature columns in order, or every other column in file order when empty
 * @param delimiter the one-character field separator
 * @param missingValue the token that marks a missing value
 * @param fillMissing the value that replaces a missing one, or empty to reject missing values
 */
public record CsvSettings(SplitPaths paths, String labelColumn, Optional<List<String>> featureColumns,
                          char delimiter, String missingValue, Optional<Double> fillMissing) implements Serializable {
    static CsvSettings read(ConfigReader c) {
        String delimiter = c.string("delimiter");
        if (delimiter.length() != 1) {
            throw c.invalid("delimiter", "one character such as \",\" or \"\\t\"", "\"" + delimiter + "\"");
        }
        return new CsvSettings(SplitPaths.read(c), c.string("label-column"),
                c.optional("feature-columns", k -> List.copyOf(c.strings(k))), delimiter.charAt(0),
                c.string("missing-value"), c.optional("fill-missing", c::number));
    }
}
