package io.efftrain.datasets.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableTransformer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Normalisation fitted on the training split. Training applies it on the fly through {@link #decoder()} (the
 * table keeps its compact encoding); {@link #transform} adds a {@code normalized} float-array column for users
 * and batch inference that want the values themselves.
 */
public final class NormalizationModel implements TableTransformer {
    private static final long serialVersionUID = 1L;
    public static final String NORMALIZED = "normalized";

    private final NormalizationType mode;
    private final FeatureEncoding encoding;
    private final FeatureStatistics statistics;

    public NormalizationModel(NormalizationType mode, FeatureEncoding encoding, FeatureStatistics statistics) {
        this.mode = mode;
        this.encoding = encoding;
        this.statistics = statistics;
    }

    public NormalizationType mode() {
        return mode;
    }

    public FeatureStatistics statistics() {
        return statistics;
    }

    /** The decoder that applies this normalisation while minibatches are filled. */
    public FeatureDecoder decoder() {
        int n = statistics.mean().length;
        float[] shift = new float[n];
        float[] scale = new float[n];
        for (int j = 0; j < n; j++) {
            switch (mode) {
                case NONE -> scale[j] = 1f;
                case STANDARDIZE -> {
                    shift[j] = (float) statistics.mean()[j];
                    // A constant feature (a border pixel that is always 0) carries no information; leave it at 0.
                    scale[j] = statistics.std()[j] > 1e-12 ? (float) (1 / statistics.std()[j]) : 1f;
                }
                case SCALE -> {
                    if (encoding == FeatureEncoding.UINT8) {
                        scale[j] = 1f / 255f;
                    } else {
                        double range = statistics.max()[j] - statistics.min()[j];
                        shift[j] = (float) statistics.min()[j];
                        scale[j] = range > 1e-12 ? (float) (1 / range) : 1f;
                    }
                }
            }
        }
        return new FeatureDecoder(encoding, shift, scale);
    }

    static StructType outputSchema(StructType input) {
        return input.add(NORMALIZED, DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    @Override
    public StructType transformSchema(StructType input) {
        Schemas.require(input, CanonicalLayout.FEATURES, DataTypes.BinaryType, "normalisation");
        return outputSchema(input);
    }

    @Override
    public Dataset<Row> transform(Dataset<Row> table) {
        transformSchema(table.schema());
        FeatureDecoder decoder = decoder();
        UserDefinedFunction normalize = udf((UDF1<byte[], float[]>) bytes -> {
            float[] out = new float[decoder.featureSize()];
            decoder.decode(bytes, 0, out, 0);
            return out;
        }, DataTypes.createArrayType(DataTypes.FloatType, false));
        return table.withColumn(NORMALIZED, normalize.apply(col(CanonicalLayout.FEATURES)));
    }
}
