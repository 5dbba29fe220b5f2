package io.efftrain.datasets.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.shiftrightunsigned;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableTransformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Moves fractions of the {@code train} split into {@code validation} and {@code test}: each training example
 * draws a number in [0, 1) from a hash of its id and the seed, and goes to validation below the validation
 * fraction, to test below the sum of both fractions. Like Spark's {@code sampleBy}, every class keeps its share
 * in expectation (within a few examples of {@code n x fraction} for a class of n), and the result depends only
 * on ids and seed, never on partitioning or source order.
 *
 * <p>Each row is decided where it lies, with no shuffle and no job of its own. An exact
 * {@code round(n x fraction)} per class needs every class's ids ranked first: that ranking shuffled every
 * example and took a quarter of a CSV prepare.
 */
public final class StratifiedSplit implements TableTransformer {
    private static final long serialVersionUID = 1L;
    public static final String TRAIN = "train";
    public static final String VALIDATION = "validation";
    public static final String TEST = "test";

    private final double validation;
    private final double test;
    private final long seed;

    /**
     * @param validation fraction of each class's training examples that become validation
     * @param test fraction that becomes test
     */
    public StratifiedSplit(double validation, double test, long seed) {
        if (validation < 0 || test < 0 || validation + test >= 1) {
            throw new IllegalArgumentException("fractions " + validation + " and " + test + " must leave training data");
        }
        this.validation = validation;
        this.test = test;
        this.seed = seed;
    }

    @Override
    public StructType transformSchema(StructType input) {
        String stage = "stratified split (data.split)";
        Schemas.require(input, CanonicalLayout.ID, DataTypes.StringType, stage);
        Schemas.require(input, CanonicalLayout.SPLIT, DataTypes.StringType, stage);
        return input;
    }

    @Override
    public Dataset<Row> transform(Dataset<Row> table) {
        transformSchema(table.schema());
        if (validation == 0 && test == 0) {
            return table;
        }
        // The top 53 bits of the hash, as a double in [0, 1): every value is exact.
        Column draw = shiftrightunsigned(xxhash64(col(CanonicalLayout.ID), lit(seed)), 11)
                .cast(DataTypes.DoubleType).divide(lit(0x1p53));
        Column isTrain = col(CanonicalLayout.SPLIT).equalTo(TRAIN);
        Column split = when(isTrain.and(draw.lt(validation)), lit(VALIDATION))
                .when(isTrain.and(draw.lt(validation + test)), lit(TEST))
                .otherwise(col(CanonicalLayout.SPLIT));
        return table.withColumn(CanonicalLayout.SPLIT, split);
    }
}
