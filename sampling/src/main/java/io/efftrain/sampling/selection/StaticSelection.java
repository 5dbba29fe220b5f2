package io.efftrain.sampling.selection;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;

import io.efftrain.pipeline.config.SelectionPolicy;
import io.efftrain.pipeline.config.SelectionSettings;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableTransformer;
import io.efftrain.sampling.scores.ScoreColumns;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Static data pruning as a stage: ranks training examples by a difficulty score and marks the ones a policy
 * keeps. It adds {@code rank} (0 = hardest; for {@code random}, a seeded random order) and {@code selected};
 * nothing is dropped here, so the caller can keep the removed examples, with their rank, beside the kept ones.
 *
 * <p>Global ranks come from a distributed sort and {@code zipWithIndex} (no single-partition window);
 * stratified ranks are per class.
 */
public final class StaticSelection implements TableTransformer {
    private static final long serialVersionUID = 1L;
    public static final String RANK = "rank";
    public static final String SELECTED = "selected";

    private final SelectionSettings settings;
    private final long seed;

    public StaticSelection(SelectionSettings settings, long seed) {
        if (settings.policy() == SelectionPolicy.NONE) {
            throw new IllegalArgumentException("policy none selects nothing to rank");
        }
        this.settings = settings;
        this.seed = seed;
    }

    @Override
    public StructType transformSchema(StructType input) {
        String stage = "selection (sampling.selection)";
        Schemas.require(input, Columns.ID, DataTypes.StringType, stage);
        Schemas.require(input, Columns.LABEL, DataTypes.IntegerType, stage);
        if (settings.policy() != SelectionPolicy.RANDOM) {
            Schemas.require(input, ScoreColumns.column(settings.score()), DataTypes.DoubleType, stage);
        }
        return input.add(RANK, DataTypes.LongType, false).add(SELECTED, DataTypes.BooleanType, false);
    }

    @Override
    public Dataset<Row> transform(Dataset<Row> table) {
        StructType output = transformSchema(table.schema());
        if (settings.policy() == SelectionPolicy.STRATIFIED) {
            return stratified(table);
        }
        long n = table.count();
        long keep = keepCount(n);
        // Ties are broken by id, so the ranking is total and the same on every rerun.
        Column order = settings.policy() == SelectionPolicy.RANDOM ? xxhash64(col(Columns.ID), lit(seed))
                : ScoreColumns.hardness(settings.score()).desc();
        Dataset<Row> sorted = table.orderBy(order, col(Columns.ID));
        long from = switch (settings.policy()) {
            case HARDEST, RANDOM -> 0;
            case EASIEST -> n - keep;
            case MODERATE -> (n - keep) / 2;
            case OFFSET -> Math.min(Math.round(n * settings.offset()), n - keep);
            default -> throw new IllegalStateException(settings.policy().name());
        };
        long to = from + keep;
        JavaRDD<Row> ranked = sorted.javaRDD().zipWithIndex().map((Tuple2<Row, Long> t) -> {
            Object[] values = new Object[t._1().size() + 2];
            for (int i = 0; i < t._1().size(); i++) {
                values[i] = t._1().get(i);
            }
            values[values.length - 2] = t._2();
            values[values.length - 1] = t._2() >= from && t._2() < to;
            return RowFactory.create(values);
        });
        return table.sparkSession().createDataFrame(ranked, output);
    }

    private Dataset<Row> stratified(Dataset<Row> table) {
        Column rank = row_number().over(Window.partitionBy(Columns.LABEL)
                .orderBy(ScoreColumns.hardness(settings.score()).desc(), col(Columns.ID))).minus(1).cast("long");
        Column classSize = count(lit(1)).over(Window.partitionBy(Columns.LABEL));
        Column share = settings.keepCount().isPresent()
                ? round(classSize.multiply((double) settings.keepCount().getAsLong()).divide(table.count()))
                : round(classSize.multiply(settings.keepFraction().getAsDouble()));
        return table.withColumn(RANK, rank).withColumn(SELECTED, col(RANK).lt(share));
    }

    private long keepCount(long n) {
        long keep = settings.keepCount().isPresent() ? settings.keepCount().getAsLong()
                : Math.round(n * settings.keepFraction().getAsDouble());
        return Math.min(n, keep);
    }

    /** A short description for removal reasons and manifests, e.g. {@code el2n hardest 50%}. */
    public String describe() {
        String amount = settings.keepCount().isPresent() ? settings.keepCount().getAsLong() + " examples"
                : Math.round(settings.keepFraction().getAsDouble() * 100) + "%";
        String score = settings.policy() == SelectionPolicy.RANDOM ? "random" : ScoreColumns.column(settings.score());
        return score + " " + settings.policy().name().toLowerCase() + " " + amount
                + (settings.policy() == SelectionPolicy.OFFSET ? " after skipping " + settings.offset() : "");
    }

}
