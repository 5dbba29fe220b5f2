package io.efftrain.datasets.source;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.Serializable;

/**
 * Checks labels where they are read, so an error can name the file and row. When the class count is unknown
 * (no class names configured), labels only have to be whole numbers of at least 0; the count is then the
 * largest label plus one.
 *
 * @param classCount labels must be below this, or -1 when unknown
 */
public record LabelRange(int classCount) implements Serializable {
    /** No upper bound known. */
    public static final LabelRange UNBOUNDED = new LabelRange(-1);

    /**
     * Parses and checks a label read as text.
     *
     * @param where the file, row and column, for the message
     */
    public int parse(String raw, String where) {
        String text = raw.trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException notWhole) {
            throw EfftrainException.badInput(where + ": label '" + raw + "' is not a whole number; labels are class "
                    + "indices 0, 1, 2, ...");
        }
        return check(value, where);
    }

    /** Checks a numeric label. */
    public int check(double value, String where) {
        if (value != Math.rint(value) || Double.isInfinite(value)) {
            throw EfftrainException.badInput(where + ": label " + value + " is not a whole number; labels are class "
                    + "indices 0, 1, 2, ...");
        }
        return check((long) value, where);
    }

    /** Whether {@link #check(long, String)} accepts {@code value}. */
    public boolean accepts(long value) {
        return value >= 0 && (classCount < 0 || value < classCount) && value <= Integer.MAX_VALUE;
    }

    /** Checks a whole-number label. */
    public int check(long value, String where) {
        if (!accepts(value)) {
            String range = classCount >= 0
                    ? "0 to " + (classCount - 1) + " (data.class-names has " + classCount + " entries)"
                    : "at least 0";
            throw EfftrainException.badInput(where + ": label " + value + " is out of range; labels must be " + range
                    + ".");
        }
        return (int) value;
    }
}
