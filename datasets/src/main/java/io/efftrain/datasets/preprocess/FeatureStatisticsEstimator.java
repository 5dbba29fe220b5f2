package io.efftrain.datasets.preprocess;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableEstimator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Learns per-feature mean, standard deviation, minimum and maximum from a table (give it the training split
 * only, so nothing about validation or test leaks into training) with one Spark aggregation; the result is a
 * {@link NormalizationModel} that applies them to any split.
 */
public final class FeatureStatisticsEstimator implements TableEstimator<NormalizationModel> {
    private final NormalizationType mode;
    private final FeatureEncoding encoding;
    private final int featureSize;

    public FeatureStatisticsEstimator(NormalizationType mode, FeatureEncoding encoding, int featureSize) {
        this.mode = mode;
        this.encoding = encoding;
        this.featureSize = featureSize;
    }

    @Override
    public StructType transformSchema(StructType input) {
        Schemas.require(input, CanonicalLayout.FEATURES, DataTypes.BinaryType, "feature statistics");
        return NormalizationModel.outputSchema(input);
    }

    @Override
    public NormalizationModel fit(Dataset<Row> table) {
        transformSchema(table.schema());
        FeatureEncoding enc = encoding;
        int n = featureSize;
        FeatureStatistics.Moments moments = table.select(CanonicalLayout.FEATURES).javaRDD()
                .treeAggregate(new FeatureStatistics.Moments(n), (m, row) -> m.addEncoded(row.getAs(0), enc),
                        FeatureStatistics.Moments::merge);
        return fitted(mode, encoding, moments);
    }

    /** The normalisation the training split's moments give; fails with a clear error when it had no example. */
    static NormalizationModel fitted(NormalizationType mode, FeatureEncoding encoding,
                                     FeatureStatistics.Moments moments) {
        if (moments.count == 0) {
            throw EfftrainException.badInput("the training split is empty after preparation (check data.classes, "
                    + "data.split and the limits); statistics need at least one example.");
        }
        return new NormalizationModel(mode, encoding, moments.statistics());
    }
}
