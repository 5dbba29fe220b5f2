package io.efftrain.jobs.ml;

import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.trainers.model.InputShape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A network trained by {@link EfftrainClassifier}, as a Spark ML {@link Model}: {@code transform} adds the
 * predicted class index ({@code prediction}, double), the class probabilities ({@code probability}, a Vector) and
 * {@code rawPrediction} (a Vector of log probabilities: the softmax inputs up to a constant per row, so the arg-max
 * and every ranking are those of the logits), scoring each partition on its executor with the network broadcast
 * once. Setting an output column to {@code ""} leaves it out, as in MLlib.
 *
 * <p>Features go through the normalisation fitted at training time before the network sees them. The model keeps
 * the DL4J network (a {@code MultiLayerNetwork} for mlp and lenet, a {@code ComputationGraph} for resnet) and
 * saves like any Spark ML stage ({@code write().save(path)}, {@link #load}, inside a {@code PipelineModel}): Spark's
 * {@code metadata/} (class, uid, params), {@code model.zip} (DL4J ModelSerializer) and {@code efftrain-model.json}
 * (shapes, class count, normalisation statistics).
 */
public final class EfftrainClassificationModel extends Model<EfftrainClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    /**
     * What the network was trained on.
     *
     * @param featureSize values per example
     * @param classes the class count K
     * @param input the network's input shape (channels x rows x cols; an mlp's is the flat vector)
     */
    record Shape(int featureSize, int classes, InputShape input) implements java.io.Serializable {
    }

    private final String uid;
    private final NetworkBytes network;
    private final Shape shape;
    private final NormalizationModel normalization;
    private final double epochsTrained;
    private final String stopReason;
    private final String runDirectory;
    private final Param<String> featuresCol;
    private final StringArrayParam featuresCols;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    EfftrainClassificationModel(String uid, NetworkBytes network, Shape shape, NormalizationModel normalization,
                                double epochsTrained, String stopReason, String runDirectory) {
        this.uid = uid;
        this.network = network;
        this.shape = shape;
        this.normalization = normalization;
        this.epochsTrained = epochsTrained;
        this.stopReason = stopReason;
        this.runDirectory = runDirectory;
        featuresCols = NumericColumns.param(this);
        featuresCol = new Param<>(this, "featuresCol", "features: a Vector column or an array<float>/array<double> "
                + "column, as at training time");
        predictionCol = new Param<>(this, "predictionCol", "output: the predicted class index (double); '' = none");
        probabilityCol = new Param<>(this, "probabilityCol", "output: class probabilities (Vector); '' = none");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "output: log class probabilities (Vector); "
                + "'' = none");
        setDefault(featuresCol, "features");
        setDefault(featuresCols, new String[0]);
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The features column (default {@code features}). */
    /** Several numeric feature columns to gather into featuresCol (default none). */
    public StringArrayParam featuresCols() {
        return featuresCols;
    }

    public String[] getFeaturesCols() {
        return getOrDefault(featuresCols).clone();
    }

    public EfftrainClassificationModel setFeaturesCols(String[] value) {
        set(featuresCols, value);
        return this;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The predicted class column (default {@code prediction}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The class probability column (default {@code probability}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** The log-probability column (default {@code rawPrediction}). */
    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    public EfftrainClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public EfftrainClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public EfftrainClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public EfftrainClassificationModel setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    /** The class count K: predictions are 0..K-1. */
    public int numClasses() {
        return shape.classes();
    }

    /** Values per example the model expects. */
    public int numFeatures() {
        return shape.featureSize();
    }

    /**
     * Passes over the training rows the network trained for, as {@code efftrain run} counts them (a round that
     * starts inside the budget finishes, so this can pass {@code maxEpochs} on very small data).
     */
    public double epochsTrained() {
        return epochsTrained;
    }

    /** Why training stopped: {@code epochs}, {@code wall_clock}, {@code steps}, ... (efftrain's stop reasons). */
    public String stopReason() {
        return stopReason;
    }

    /**
     * The fit's run directory (config, metrics, summary and report.html), or null when the estimator's
     * {@code runsDirectory} was not set.
     */
    public String runDirectory() {
        return runDirectory;
    }

    /**
     * A copy of the trained DL4J network: a {@code MultiLayerNetwork} (mlp, lenet) or a {@code ComputationGraph}
     * (resnet). It expects flat, normalised features (see {@link #normalization()}).
     */
    public org.deeplearning4j.nn.api.Model network() {
        return network.restore();
    }

    /** The normalisation fitted on the training rows, which transform applies before the network. */
    public NormalizationModel normalization() {
        return normalization;
    }

    NetworkBytes networkBytes() {
        return network;
    }

    Shape shape() {
        return shape;
    }

    static StructType outputSchema(StructType schema, String prediction, String probability, String raw) {
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put("predictionCol", prediction);
        outputs.put("probabilityCol", probability);
        outputs.put("rawPredictionCol", raw);
        Map<String, DataType> types = Map.of("predictionCol", DataTypes.DoubleType,
                "probabilityCol", SQLDataTypes.VectorType(), "rawPredictionCol", SQLDataTypes.VectorType());
        return ColumnChecks.outputs(schema, outputs, types);
    }

    @Override
    public StructType transformSchema(StructType given) {
        StructType schema = NumericColumns.withFeatures(given, getFeaturesCols(), getFeaturesCol());
        ColumnChecks.features(schema, getFeaturesCol());
        return outputSchema(schema, getPredictionCol(), getProbabilityCol(), getRawPredictionCol());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> given) {
        Dataset<Row> dataset = NumericColumns.assemble(given, getFeaturesCols(), getFeaturesCol());
        StructType output = transformSchema(given.schema());
        if (output.size() == dataset.schema().size()) {
            // Every output column is switched off (""): nothing to compute, as in MLlib.
            return dataset.toDF();
        }
        Broadcast<NetworkBytes> shared = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(network);
        ScorePartition score = new ScorePartition(shared, normalization.decoder(), shape.featureSize(),
                dataset.schema().fieldIndex(getFeaturesCol()), getFeaturesCol(), !getPredictionCol().isEmpty(),
                !getProbabilityCol().isEmpty(), !getRawPredictionCol().isEmpty());
        return dataset.toDF().mapPartitions(score, Encoders.row(output));
    }

    @Override
    public EfftrainClassificationModel copy(ParamMap extra) {
        EfftrainClassificationModel copy = new EfftrainClassificationModel(uid, network, shape, normalization,
                epochsTrained, stopReason, runDirectory);
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new EfftrainClassificationModelWriter(this);
    }

    /** How Spark ML (and {@code PipelineModel.load}) finds this stage's reader. */
    public static MLReader<EfftrainClassificationModel> read() {
        return new EfftrainClassificationModelReader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static EfftrainClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "EfftrainClassificationModel: uid=" + uid + ", numClasses=" + numClasses() + ", numFeatures="
                + numFeatures() + ", network=" + (network.graph() ? "ComputationGraph" : "MultiLayerNetwork");
    }
}
