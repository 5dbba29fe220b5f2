package io.efftrain.datasets.csv;

import io.efftrain.datasets.source.LabelRange;
import io.efftrain.pipeline.data.FeatureEncoding;
import java.nio.charset.StandardCharsets;

/**
 * The common CSV line read straight from its bytes: unquoted, with the label and every feature a plain whole
 * number the encoding and the label range accept. A String per field (and a double parsed from it) cost more than
 * the rest of preparing a numeric CSV. Any other line (quotes, decimals, exponents, the missing-value token,
 * a ragged row, a value out of range) is left to the general parser, which also words every error, so both give
 * the same values and the same messages.
 */
final class NumericLine {
    /** Not a plain whole number. */
    private static final long NOT_WHOLE = Long.MIN_VALUE;
    /** Whole numbers of up to this many digits are exact in a double and cannot overflow a long. */
    private static final int MAX_DIGITS = 15;

    private final byte delimiter;
    private final int width;
    private final int labelIndex;
    /** For each column, its position among the features, or -1 when it is not a feature. */
    private final int[] featureAt;
    private final byte[] missing;
    private final FeatureEncoding encoding;
    private final LabelRange labels;
    private int label;

    NumericLine(char delimiter, int width, int labelIndex, int[] featureIndices, String missingToken,
                FeatureEncoding encoding, LabelRange labels) {
        this.delimiter = delimiter < 128 ? (byte) delimiter : -1;
        this.width = width;
        this.labelIndex = labelIndex;
        this.featureAt = new int[width];
        java.util.Arrays.fill(featureAt, -1);
        for (int j = 0; j < featureIndices.length; j++) {
            featureAt[featureIndices[j]] = j;
        }
        this.missing = missingToken == null ? null : missingToken.trim().getBytes(StandardCharsets.UTF_8);
        this.encoding = encoding;
        this.labels = labels;
    }

    /**
     * Reads {@code line[0, length)} into {@code values} (by feature position) and {@link #label()}, or returns false
     * (values then undefined) when the line needs the general parser.
     */
    boolean parse(byte[] line, int length, double[] values) {
        if (delimiter < 0) {
            return false;
        }
        int column = 0;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i < length) {
                byte b = line[i];
                if (b == '"') {
                    return false;
                }
                if (b != delimiter) {
                    continue;
                }
            }
            if (column >= width) {
                return false;
            }
            int feature = featureAt[column];
            if (column == labelIndex || feature >= 0) {
                long value = wholeNumber(line, start, i);
                if (value == NOT_WHOLE) {
                    return false;
                }
                if (column == labelIndex) {
                    if (!labels.accepts(value)) {
                        return false;
                    }
                    label = (int) value;
                } else {
                    if (encoding.rejects(value) != null) {
                        return false;
                    }
                    values[feature] = value;
                }
            }
            column++;
            start = i + 1;
        }
        return column == width;
    }

    /** The label of the line {@link #parse} last accepted. */
    int label() {
        return label;
    }

    private long wholeNumber(byte[] line, int from, int to) {
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
            to--;
        }
        if (isMissing(line, from, to)) {
            return NOT_WHOLE;
        }
        boolean negative = false;
        if (from < to && (line[from] == '-' || line[from] == '+')) {
            negative = line[from] == '-';
            from++;
        }
        int digits = to - from;
        if (digits == 0 || digits > MAX_DIGITS) {
            return NOT_WHOLE;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) {
                return NOT_WHOLE;
            }
            value = value * 10 + d;
        }
        if (negative && value == 0) {
            return NOT_WHOLE; // -0 parses to -0.0, whose float encodings differ from 0's
        }
        return negative ? -value : value;
    }

    private boolean isMissing(byte[] line, int from, int to) {
        if (missing == null || to - from != missing.length) {
            return false;
        }
        for (int i = 0; i < missing.length; i++) {
            if (line[from + i] != missing[i]) {
                return false;
            }
        }
        return true;
    }
}
