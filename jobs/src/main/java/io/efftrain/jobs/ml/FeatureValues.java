package io.efftrain.jobs.ml;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Reads one row's features (a {@link Vector} or an array of numbers) into floats, the precision the networks
 * compute in, and says what is wrong with a value instead of letting a NaN or a short row reach training, where it
 * would show up much later as a diverged loss or a DL4J shape error without a row number.
 */
final class FeatureValues {
    private FeatureValues() {
    }

    /**
     * The number of values in {@code value} (a Vector, a Scala Seq or a Java List), or -1 when it is null.
     */
    static int size(Object value) {
        if (value == null) {
            return -1;
        }
        if (value instanceof Vector vector) {
            return vector.size();
        }
        return list(value).size();
    }

    /**
     * Writes the {@code size} values of {@code value} into {@code out[at..at+size)}; returns null when they are
     * finite float32 numbers, otherwise what is wrong (to be put in a message that names the row and column).
     *
     * @param sizeSource who says there are {@code size} values, for the message ("the first row has")
     */
    static String read(Object value, int size, float[] out, int at, String sizeSource) {
        if (value == null) {
            return "is null";
        }
        int actual = size(value);
        if (actual != size) {
            return "has " + actual + " values where " + sizeSource + " " + size;
        }
        if (value instanceof Vector vector) {
            for (int j = 0; j < size; j++) {
                String problem = put(vector.apply(j), j, out, at);
                if (problem != null) {
                    return problem;
                }
            }
            return null;
        }
        List<?> values = list(value);
        for (int j = 0; j < size; j++) {
            Object v = values.get(j);
            if (v == null) {
                return "has a null at index " + j;
            }
            String problem = put(((Number) v).doubleValue(), j, out, at);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String put(double v, int index, float[] out, int at) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "has " + v + " at index " + index + " (features must be finite numbers)";
        }
        if (Math.abs(v) > Float.MAX_VALUE) {
            return "has " + v + " at index " + index + ", outside the float32 range the networks compute in";
        }
        out[at + index] = (float) v;
        return null;
    }

    private static List<?> list(Object value) {
        if (value instanceof List<?> javaList) {
            return javaList;
        }
        return JavaConverters.seqAsJavaList((Seq<?>) value);
    }
}
