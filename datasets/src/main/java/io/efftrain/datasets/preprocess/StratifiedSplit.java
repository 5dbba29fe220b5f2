package io.efftrain.datasets.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableTransformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Moves fractions of the {@code train} split into {@code validation} and {@code test}, class by class: within
 * each class the examples are ranked by a hash of their id and the seed, and the first
 * {@code round(n x fraction)} of that order are held out. The result depends only on ids and seed, never on
 * partitioning or source order, and every class keeps its share (stratified).
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
        Schemas.require(input, CanonicalLayout.LABEL, DataTypes.IntegerType, stage);
        Schemas.require(input, CanonicalLayout.SPLIT, DataTypes.StringType, stage);
        return input;
    }

    @Override
    public Dataset<Row> transform(Dataset<Row> table) {
        transformSchema(table.schema());
        if (validation == 0 && test == 0) {
            return table;
        }
        Column isTrain = col(CanonicalLayout.SPLIT).equalTo(TRAIN);
        Column rank = xxhash64(col(CanonicalLayout.ID), lit(seed));
        // Ties of the 64-bit hash are broken by id, so the order is total.
        WindowSpec byClass = Window.partitionBy(col(CanonicalLayout.SPLIT), col(CanonicalLayout.LABEL))
                .orderBy(rank, col(CanonicalLayout.ID));
        Column position = row_number().over(byClass).minus(1);
        Column classSize = count(lit(1)).over(Window.partitionBy(col(CanonicalLayout.SPLIT), col(CanonicalLayout.LABEL)));
        Column validationEnd = org.apache.spark.sql.functions.round(classSize.multiply(validation));
        Column testEnd = org.apache.spark.sql.functions.round(classSize.multiply(validation + test));
        Column split = when(isTrain.and(position.lt(validationEnd)), lit(VALIDATION))
                .when(isTrain.and(position.lt(testEnd)), lit(TEST))
                .otherwise(col(CanonicalLayout.SPLIT));
        return table.withColumn(CanonicalLayout.SPLIT, split);
    }
}
