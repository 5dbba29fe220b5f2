package io.efftrain.sampling.scores;

import io.efftrain.pipeline.config.ScoreName;
import io.efftrain.pipeline.data.Columns;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The layout of a score table: one row per training example, keyed by {@code id}. */
public final class ScoreColumns {
    public static final String LOSS = "loss";
    public static final String EL2N = "el2n";
    public static final String GRAND = "grand";
    public static final String MARGIN = "margin";
    public static final String CORRECT = "correct";
    public static final String FORGETTING = "forgetting";

    /** One proxy's scores. */
    public static final StructType ONE_PROXY = new StructType()
            .add(Columns.ID, DataTypes.StringType, false)
            .add(Columns.LABEL, DataTypes.IntegerType, false)
            .add(LOSS, DataTypes.DoubleType, false)
            .add(EL2N, DataTypes.DoubleType, false)
            .add(GRAND, DataTypes.DoubleType, false)
            .add(MARGIN, DataTypes.DoubleType, false)
            .add(CORRECT, DataTypes.BooleanType, false)
            .add(FORGETTING, DataTypes.DoubleType, false);

    private ScoreColumns() {
    }

    /** The column a score is stored in. */
    public static String column(ScoreName score) {
        return score.name().toLowerCase(Locale.ROOT);
    }

    /** The score as a hardness: larger is harder (the margin is negated). */
    public static Column hardness(ScoreName score) {
        Column value = functions.col(column(score));
        return score == ScoreName.MARGIN ? functions.negate(value) : value;
    }
}
