package io.efftrain.jobs.ml;

import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.trainers.model.InputShape;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A network trained by {@link EfftrainRegressor}, as a Spark ML {@link Model}: {@code transform} adds the predicted
 * label ({@code prediction}, double), scoring each partition on its executor with the network broadcast once.
 * Features go through the normalisation fitted at training time; the network's output, a standardised label, is
 * mapped back with the label's mean and standard deviation from training. Saves and loads like any Spark ML stage,
 * also inside a {@code PipelineModel}: {@code metadata/}, {@code model.zip} (DL4J) and {@code efftrain-model.json}
 * (shapes, normalisation, label statistics, the training summary).
 */
public final class EfftrainRegressionModel extends Model<EfftrainRegressionModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    /**
     * How training went.
     *
     * @param epochsTrained passes over the training rows
     * @param stopReason why training stopped (efftrain's stop reasons: epochs, wall_clock, ...)
     * @param trainingRmse root mean squared error on the training rows at the end, in the label's units (every
     *     row counts once, whatever its weight)
     * @param trainingMae mean absolute error on the training rows at the end (unweighted too)
     * @param runDirectory the fit's run directory (config, metrics, summary, report.html), or null when the
     *     regressor's {@code runsDirectory} was not set
     */
    public record Summary(double epochsTrained, String stopReason, double trainingRmse, double trainingMae,
                          String runDirectory)
            implements java.io.Serializable {
    }

    private final String uid;
    private final NetworkBytes network;
    private final int featureSize;
    private final InputShape input;
    private final NormalizationModel normalization;
    private final double labelMean;
    private final double labelStd;
    private final Summary summary;
    private final Param<String> featuresCol;
    private final StringArrayParam featuresCols;
    private final Param<String> predictionCol;

    EfftrainRegressionModel(String uid, NetworkBytes network, int featureSize, InputShape input,
                            NormalizationModel normalization, double labelMean, double labelStd, Summary summary) {
        this.uid = uid;
        this.network = network;
        this.featureSize = featureSize;
        this.input = input;
        this.normalization = normalization;
        this.labelMean = labelMean;
        this.labelStd = labelStd;
        this.summary = summary;
        featuresCols = NumericColumns.param(this);
        featuresCol = new Param<>(this, "featuresCol", "features: a Vector column or an array<float>/array<double> "
                + "column, as at training time");
        predictionCol = new Param<>(this, "predictionCol", "output: the predicted label (double)");
        setDefault(featuresCol, "features");
        setDefault(featuresCols, new String[0]);
        setDefault(predictionCol, "prediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Several numeric feature columns to gather into featuresCol (default none). */
    public StringArrayParam featuresCols() {
        return featuresCols;
    }

    public String[] getFeaturesCols() {
        return getOrDefault(featuresCols).clone();
    }

    public EfftrainRegressionModel setFeaturesCols(String[] value) {
        set(featuresCols, value);
        return this;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public EfftrainRegressionModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public EfftrainRegressionModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    /** Values per example the model expects. */
    public int numFeatures() {
        return featureSize;
    }

    /** The training label's mean, which predictions are centred back on. */
    public double labelMean() {
        return labelMean;
    }

    /** The training label's standard deviation (1 for a constant label), which predictions are scaled back by. */
    public double labelStd() {
        return labelStd;
    }

    /** Epochs, stop reason and the training rows' RMSE and MAE at the end. */
    public Summary summary() {
        return summary;
    }

    /** The feature normalisation fitted on the training rows. */
    public NormalizationModel normalization() {
        return normalization;
    }

    /** A copy of the trained DL4J network; it expects normalised features and predicts the standardised label. */
    public org.deeplearning4j.nn.api.Model network() {
        return network.restore();
    }

    NetworkBytes networkBytes() {
        return network;
    }

    InputShape input() {
        return input;
    }

    static StructType outputSchema(StructType schema, String prediction) {
        return ColumnChecks.outputs(schema, Map.of("predictionCol", prediction),
                Map.of("predictionCol", DataTypes.DoubleType));
    }

    @Override
    public StructType transformSchema(StructType given) {
        StructType schema = NumericColumns.withFeatures(given, getFeaturesCols(), getFeaturesCol());
        ColumnChecks.features(schema, getFeaturesCol());
        return outputSchema(schema, getPredictionCol());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> given) {
        Dataset<Row> dataset = NumericColumns.assemble(given, getFeaturesCols(), getFeaturesCol());
        StructType output = transformSchema(given.schema());
        if (output.size() == dataset.schema().size()) {
            return dataset.toDF();
        }
        Broadcast<NetworkBytes> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(network);
        ScorePartition score = new ScorePartition(shared, normalization.decoder(), featureSize,
                dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), labelMean, labelStd);
        return dataset.toDF().mapPartitions(score, Encoders.row(output));
    }

    @Override
    public EfftrainRegressionModel copy(ParamMap extra) {
        EfftrainRegressionModel copy = new EfftrainRegressionModel(uid, network, featureSize, input, normalization,
                labelMean, labelStd, summary);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new EfftrainRegressionModelWriter(this);
    }

    /** How Spark ML (and {@code PipelineModel.load}) finds this stage's reader. */
    public static MLReader<EfftrainRegressionModel> read() {
        return new EfftrainRegressionModelReader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static EfftrainRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "EfftrainRegressionModel: uid=" + uid + ", numFeatures=" + featureSize + ", trainingRmse="
                + summary.trainingRmse();
    }
}
