package io.efftrain.pipeline.stage;

import java.io.Serializable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A preparation step from one table to another, in the style of Spark ML's {@code Transformer}: the schema is
 * checked by {@link #transformSchema} before any data moves, so a wrong column fails at once with its name
 * rather than inside an executor an hour later.
 */
public interface TableTransformer extends Serializable {
    /** The output schema for {@code input}; throws an {@code EfftrainException} naming what is missing. */
    StructType transformSchema(StructType input);

    /** Applies the step lazily (a Spark plan); implementations call {@link #transformSchema} first. */
    Dataset<Row> transform(Dataset<Row> table);
}
