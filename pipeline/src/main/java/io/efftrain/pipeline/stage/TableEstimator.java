package io.efftrain.pipeline.stage;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A step that must learn something from data before it can transform it (statistics of the training split),
 * in the style of Spark ML's {@code Estimator}: {@link #fit} returns the transformer that applies what it
 * learned, so the same statistics are applied to every split.
 *
 * @param <M> the fitted transformer
 */
public interface TableEstimator<M extends TableTransformer> {
    /** Checks {@code input} and returns the schema the fitted model will produce. */
    StructType transformSchema(StructType input);

    /** Learns from {@code table} (runs a Spark job). */
    M fit(Dataset<Row> table);
}
