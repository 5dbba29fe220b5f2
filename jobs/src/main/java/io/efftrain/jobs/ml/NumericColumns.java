package io.efftrain.jobs.ml;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Features given as several numeric columns ({@code featuresCols}), the way tabular data arrives: the estimators
 * and models gather them into one Vector column named {@code featuresCol}, as VectorAssembler would, so users need
 * no assembler stage of their own. A null becomes NaN, which the fit's row checks then report with its row.
 */
final class NumericColumns {
    private NumericColumns() {
    }

    /** The {@code featuresCols} param of an estimator or a model, the same on each (empty: read featuresCol). */
    static StringArrayParam param(Params owner) {
        return new StringArrayParam(owner, "featuresCols", "features as several numeric columns, gathered into the "
                + "Vector column featuresCol (which must not exist then); empty = read featuresCol as it is");
    }

    /**
     * The schema with the gathered Vector column added; {@code schema} unchanged when {@code columns} is empty.
     * Errors name the column that is missing, repeated or not numeric.
     */
    static StructType withFeatures(StructType schema, String[] columns, String featuresCol) {
        if (columns.length == 0) {
            return schema;
        }
        List<String> names = Arrays.asList(schema.fieldNames());
        if (names.contains(featuresCol)) {
            throw new IllegalArgumentException("featuresCols gathers " + columns.length + " columns into featuresCol '"
                    + featuresCol + "', but the DataFrame already has a column of that name; set featuresCol to "
                    + "another name, or leave featuresCols empty to read '" + featuresCol + "' itself.");
        }
        Set<String> seen = new HashSet<>();
        for (String column : columns) {
            if (!names.contains(column)) {
                throw new IllegalArgumentException("featuresCols names '" + column + "': no such column; the "
                        + "DataFrame has " + String.join(", ", schema.fieldNames()) + ".");
            }
            if (!seen.add(column)) {
                throw new IllegalArgumentException("featuresCols names '" + column + "' twice.");
            }
            DataType type = schema.apply(column).dataType();
            if (!(type instanceof NumericType)) {
                throw new IllegalArgumentException("featuresCols: column '" + column + "' is of type "
                        + type.simpleString() + "; every feature column must be numeric (index strings with "
                        + "StringIndexer, or leave the column out).");
            }
        }
        return schema.add(featuresCol, SQLDataTypes.VectorType(), false);
    }

    /** {@code data} with the gathered Vector column, or {@code data} itself when {@code columns} is empty. */
    static Dataset<Row> assemble(Dataset<?> data, String[] columns, String featuresCol) {
        if (columns.length == 0) {
            return data.toDF();
        }
        withFeatures(data.schema(), columns, featuresCol);
        return new VectorAssembler().setInputCols(columns).setOutputCol(featuresCol).setHandleInvalid("keep")
                .transform(data);
    }
}
