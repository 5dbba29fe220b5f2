package io.efftrain.pipeline.stage;

import io.efftrain.pipeline.error.EfftrainException;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema checks shared by stages, with errors that name the stage, the column and what was expected. */
public final class Schemas {
    private Schemas() {
    }

    /** Fails unless {@code schema} has {@code column} of {@code type}. */
    public static void require(StructType schema, String column, DataType type, String stage) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw EfftrainException.badInput(stage + ": the table has no column '" + column + "' (it has "
                    + String.join(", ", schema.fieldNames()) + "); it needs " + column + " of type "
                    + type.simpleString() + ".");
        }
        StructField field = schema.apply(column);
        if (!field.dataType().equals(type)) {
            throw EfftrainException.badInput(stage + ": column '" + column + "' has type "
                    + field.dataType().simpleString() + ", expected " + type.simpleString() + ".");
        }
    }
}
