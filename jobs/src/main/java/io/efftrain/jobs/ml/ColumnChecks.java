package io.efftrain.jobs.ml;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Schema checks shared by the classifier and its model. They run in {@code transformSchema}, so a pipeline with a
 * wrong column fails before any data is read, and every message names the param, the column and what was
 * expected: a data engineer sees which setter to call, not a stack trace from an executor.
 */
final class ColumnChecks {
    private ColumnChecks() {
    }

    /** How a features column holds its values. */
    enum FeatureKind {
        /** An ML {@code Vector} (dense or sparse), as VectorAssembler and StandardScaler write it. */
        VECTOR,
        /** {@code array<float>} or {@code array<double>}: images stored as arrays, for example. */
        ARRAY
    }

    static FeatureKind features(StructType schema, String column) {
        DataType type = column(schema, "featuresCol", column);
        if (type.equals(SQLDataTypes.VectorType())) {
            return FeatureKind.VECTOR;
        }
        if (type instanceof ArrayType array && (array.elementType().equals(DataTypes.FloatType)
                || array.elementType().equals(DataTypes.DoubleType))) {
            return FeatureKind.ARRAY;
        }
        String hint = "";
        if (type.getClass().getName().startsWith("org.apache.spark.mllib.")) {
            hint = " (this is the old RDD-based org.apache.spark.mllib Vector: convert it with "
                    + "MLUtils.convertVectorColumnsToML)";
        } else if (type instanceof ArrayType) {
            hint = " (cast it: col(\"" + column + "\").cast(\"array<float>\"))";
        } else if (type instanceof NumericType) {
            hint = " (a single number: gather the feature columns into one with VectorAssembler)";
        }
        throw new IllegalArgumentException("featuresCol '" + column + "' is of type " + type.simpleString()
                + "; expected a Vector column (VectorAssembler's output) or an array<float> or array<double> column"
                + hint + ".");
    }

    static void label(StructType schema, String column) {
        DataType type = column(schema, "labelCol", column);
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol '" + column + "' is of type " + type.simpleString()
                    + "; expected class indices 0..K-1 as numbers (int, long or double whole numbers)"
                    + (type.equals(DataTypes.StringType) ? " (turn string labels into indices with StringIndexer)" : "")
                    + ".");
        }
    }

    /** A regression label: one number per row (any numeric type). */
    static void target(StructType schema, String column) {
        DataType type = column(schema, "labelCol", column);
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("labelCol '" + column + "' is of type " + type.simpleString()
                    + "; expected the regression target as a number (int, long, float, double or decimal)"
                    + (type.equals(DataTypes.StringType) ? " (cast it: col(\"" + column + "\").cast(\"double\"))" : "")
                    + ".");
        }
    }

    /** The optional weight column (an empty name: none): numbers, one per row. */
    static void weight(StructType schema, String column) {
        if (column.isEmpty()) {
            return;
        }
        DataType type = column(schema, "weightCol", column);
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("weightCol '" + column + "' is of type " + type.simpleString()
                    + "; expected per-example weights as numbers of at least 0 (int, long, float or double)"
                    + (type.equals(DataTypes.StringType) ? " (cast it: col(\"" + column + "\").cast(\"double\"))" : "")
                    + ".");
        }
    }

    /**
     * Checks that the output columns (param name to column name; an empty name means "not produced") neither
     * exist in the input nor collide with each other, and returns the schema with them appended.
     */
    static StructType outputs(StructType schema, Map<String, String> outputs, Map<String, DataType> types) {
        Map<String, String> taken = new LinkedHashMap<>();
        StructType out = schema;
        for (Map.Entry<String, String> output : outputs.entrySet()) {
            String param = output.getKey();
            String column = output.getValue();
            if (column.isEmpty()) {
                continue;
            }
            if (Arrays.asList(schema.fieldNames()).contains(column)) {
                throw new IllegalArgumentException(param + " '" + column + "': the DataFrame already has a column "
                        + "of that name; choose another name with set" + Character.toUpperCase(param.charAt(0))
                        + param.substring(1) + " (or drop the column first).");
            }
            String other = taken.put(column, param);
            if (other != null) {
                throw new IllegalArgumentException(param + " and " + other + " are both '" + column
                        + "'; every output column needs its own name.");
            }
            out = out.add(column, types.get(param), false);
        }
        return out;
    }

    private static DataType column(StructType schema, String param, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(param + " '" + column + "': no such column; the DataFrame has "
                    + String.join(", ", schema.fieldNames()) + ". Set the column with set"
                    + Character.toUpperCase(param.charAt(0)) + param.substring(1) + ".");
        }
        return schema.apply(column).dataType();
    }
}
