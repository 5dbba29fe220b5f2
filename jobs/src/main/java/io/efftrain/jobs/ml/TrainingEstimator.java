package io.efftrain.jobs.ml;

import com.typesafe.config.Config;
import io.efftrain.pipeline.config.ConfigLoader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsWritable;

/**
 * What {@link EfftrainClassifier} and {@link EfftrainRegressor} share: the Spark ML params that map onto efftrain's
 * config (columns, the network, the budget, optimizer and schedule, normalisation, seed, workers, overrides and
 * the runs directory), their defaults (efftrain's own), and the typed config entries they become. Setters return
 * the concrete estimator, so calls chain as with MLlib's. Spark ML finds the params through these public
 * accessors, inherited or not, to copy, save and load them.
 *
 * @param <M> the model {@code fit} returns
 * @param <E> the concrete estimator
 */
public abstract class TrainingEstimator<M extends Model<M>, E extends TrainingEstimator<M, E>> extends Estimator<M>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final List<String> OPTIMIZERS = List.of("sgd", "nesterovs", "adam", "lars", "lamb");
    private static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "linear-to-zero", "rex",
            "one-cycle");
    private static final List<String> NORMALIZATIONS = List.of("scale", "standardize", "none");

    /**
     * How the concrete estimators' shared params differ: their documentation, the networks they accept and the
     * default normalisation.
     *
     * @param featuresDoc what the features column holds
     * @param labelDoc what the label column holds
     * @param predictionDoc what the prediction column gets
     * @param modelTypes the accepted values of modelType
     * @param modelTypeDoc modelType's documentation
     * @param layersDoc the layers param's documentation
     * @param normalizationDefault the default of normalization
     */
    protected record Kind(String featuresDoc, String labelDoc, String predictionDoc, List<String> modelTypes,
                          String modelTypeDoc, String layersDoc, String normalizationDefault) {
    }

    private final String uid;
    private final StringArrayParam featuresCols;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> weightCol;
    private final Param<String> predictionCol;
    private final Param<String> modelType;
    private final IntArrayParam hiddenLayers;
    private final Param<String> layers;
    private final DoubleParam maxEpochs;
    private final DoubleParam maxTrainingSeconds;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final Param<String> optimizer;
    private final Param<String> schedule;
    private final Param<String> normalization;
    private final LongParam seed;
    private final IntParam workers;
    private final StringArrayParam configOverrides;
    private final Param<String> runsDirectory;

    protected TrainingEstimator(String uid, Kind kind) {
        this.uid = uid;
        featuresCols = NumericColumns.param(this);
        featuresCol = new Param<>(this, "featuresCol", kind.featuresDoc());
        labelCol = new Param<>(this, "labelCol", kind.labelDoc());
        weightCol = new Param<>(this, "weightCol", "per-example loss weights: a numeric column of finite values of at "
                + "least 0 (unset or '': every example weighs 1)");
        predictionCol = new Param<>(this, "predictionCol", kind.predictionDoc());
        modelType = new Param<>(this, "modelType", kind.modelTypeDoc(), ParamValidators.inArray(kind.modelTypes()));
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "widths of the mlp's hidden layers, input side "
                + "first (model.mlp.hidden)", (scala.Function1<int[], Object> & java.io.Serializable) widths ->
                widths.length > 0 && Arrays.stream(widths).allMatch(w -> w > 0));
        layers = new Param<>(this, "layers", kind.layersDoc());
        maxEpochs = new DoubleParam(this, "maxEpochs", "budget: passes over the training data, may be fractional "
                + "(train.budget.epochs)", ParamValidators.gt(0));
        maxTrainingSeconds = new DoubleParam(this, "maxTrainingSeconds", "budget: training wall-clock seconds "
                + "(train.budget.wall-clock; unset: no time limit); training stops at the first limit reached",
                ParamValidators.gt(0));
        batchSize = new IntParam(this, "batchSize", "minibatch size per worker (train.batch-size)",
                ParamValidators.gt(0));
        learningRate = new DoubleParam(this, "learningRate", "the base learning rate the schedule starts from "
                + "(train.optimizer.learning-rate)", ParamValidators.gt(0));
        optimizer = new Param<>(this, "optimizer", "the update rule: sgd, nesterovs, adam, lars or lamb "
                + "(train.optimizer.type)", ParamValidators.inArray(OPTIMIZERS));
        schedule = new Param<>(this, "schedule", "the learning-rate schedule over the budget: constant, step, cosine,"
                + " linear-to-zero, rex or one-cycle (train.schedule)", ParamValidators.inArray(SCHEDULES));
        normalization = new Param<>(this, "normalization", "how features are normalised before the network, with "
                + "statistics of the training rows (kept by the model for transform): scale (per-feature min-max to "
                + "[0, 1]), standardize or none (data.normalization)", ParamValidators.inArray(NORMALIZATIONS));
        seed = new LongParam(this, "seed", "seed of initialisation, shuffling and worker order (run.seed)");
        workers = new IntParam(this, "workers", "parallel training workers (train.workers; unset: the session's "
                + "default parallelism)", ParamValidators.gt(0));
        runsDirectory = FitRun.param(this);
        configOverrides = new StringArrayParam(this, "configOverrides", "key=value overrides of any other efftrain "
                + "config key (HOCON values, as bin/efftrain --set takes them; bin/efftrain defaults lists the keys)",
                (scala.Function1<String[], Object> & java.io.Serializable) entries -> Arrays.stream(entries)
                        .allMatch(e -> e != null && e.indexOf('=') > 0));

        Config defaults = ConfigLoader.defaults();
        setDefault(featuresCol, "features");
        setDefault(featuresCols, new String[0]);
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(modelType, "mlp");
        setDefault(layers, "[]");
        setDefault(hiddenLayers, defaults.getIntList("model.mlp.hidden").stream().mapToInt(Integer::intValue)
                .toArray());
        setDefault(maxEpochs, defaults.getDouble("train.budget.epochs"));
        setDefault(batchSize, defaults.getInt("train.batch-size"));
        setDefault(learningRate, defaults.getDouble("train.optimizer.learning-rate"));
        setDefault(optimizer, defaults.getString("train.optimizer.type"));
        setDefault(schedule, defaults.getString("train.schedule"));
        setDefault(normalization, kind.normalizationDefault());
        setDefault(seed, defaults.getLong("run.seed"));
        setDefault(configOverrides, new String[0]);
        setDefault(runsDirectory, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    /**
     * The typed params as efftrain config entries ({@code key=value}, HOCON values): the network, budget, batch,
     * optimizer, schedule, workers, seed and normalisation.
     */
    protected List<String> typedSettings() {
        List<String> typed = new ArrayList<>();
        typed.add("model.type=" + getModelType());
        typed.add("model.mlp.hidden=" + Arrays.stream(getHiddenLayers()).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]")));
        typed.add("model.layers=" + getLayers());
        typed.add("train.budget.epochs=" + number(getMaxEpochs()));
        typed.add("train.budget.wall-clock=" + (isDefined(maxTrainingSeconds)
                ? Math.max(1, Math.round((Double) getOrDefault(maxTrainingSeconds) * 1000)) + "ms" : "null"));
        typed.add("train.batch-size=" + getBatchSize());
        typed.add("train.optimizer.learning-rate=" + number(getLearningRate()));
        typed.add("train.optimizer.type=" + getOptimizer());
        typed.add("train.schedule=" + getSchedule());
        typed.add("train.workers=" + (isDefined(workers) ? getOrDefault(workers).toString() : "null"));
        typed.add("run.seed=" + getSeed());
        typed.add("data.normalization=" + getNormalization());
        return typed;
    }

    /** A double as HOCON reads it back exactly. */
    protected static String number(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }

    /** The weight column, or null when unset or empty. */
    String weightColumn() {
        return isDefined(weightCol) && !getOrDefault(weightCol).isEmpty() ? getOrDefault(weightCol) : null;
    }

    /** Several numeric feature columns to gather into featuresCol (default none). */
    public StringArrayParam featuresCols() {
        return featuresCols;
    }

    /** The features column (default {@code features}). */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The label column (default {@code label}). */
    public Param<String> labelCol() {
        return labelCol;
    }

    /** The optional per-example weight column (unset: unweighted). */
    public Param<String> weightCol() {
        return weightCol;
    }

    /** The prediction column the model writes (default {@code prediction}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The network (default mlp). */
    public Param<String> modelType() {
        return modelType;
    }

    /** The mlp's hidden layer widths (default efftrain's model.mlp.hidden). */
    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    /** The network of {@code modelType = layers}, in efftrain's model language (a HOCON list of layers). */
    public Param<String> layers() {
        return layers;
    }

    /** The epochs budget (default efftrain's train.budget.epochs). */
    public DoubleParam maxEpochs() {
        return maxEpochs;
    }

    /** The optional wall-clock budget in seconds. */
    public DoubleParam maxTrainingSeconds() {
        return maxTrainingSeconds;
    }

    /** Minibatch size per worker (default efftrain's train.batch-size). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The base learning rate (default efftrain's). */
    public DoubleParam learningRate() {
        return learningRate;
    }

    /** The optimizer (default efftrain's). */
    public Param<String> optimizer() {
        return optimizer;
    }

    /** The learning-rate schedule (default efftrain's). */
    public Param<String> schedule() {
        return schedule;
    }

    /** Feature normalisation. */
    public Param<String> normalization() {
        return normalization;
    }

    /** The seed (default efftrain's run.seed). */
    public LongParam seed() {
        return seed;
    }

    /** Training workers (default: the session's default parallelism). */
    public IntParam workers() {
        return workers;
    }

    /** {@code key=value} overrides of efftrain's other config keys (default none). */
    public StringArrayParam configOverrides() {
        return configOverrides;
    }

    /** Where each fit records its run directory and report (default '': nowhere). */
    public Param<String> runsDirectory() {
        return runsDirectory;
    }

    public E setFeaturesCols(String[] value) {
        set(featuresCols, value);
        return self();
    }

    public E setFeaturesCol(String value) {
        set(featuresCol, value);
        return self();
    }

    public E setLabelCol(String value) {
        set(labelCol, value);
        return self();
    }

    public E setWeightCol(String value) {
        set(weightCol, value);
        return self();
    }

    public E setPredictionCol(String value) {
        set(predictionCol, value);
        return self();
    }

    public E setModelType(String value) {
        set(modelType, value);
        return self();
    }

    public E setHiddenLayers(int[] value) {
        set(hiddenLayers, value);
        return self();
    }

    public E setLayers(String value) {
        set(layers, value);
        return self();
    }

    public E setMaxEpochs(double value) {
        set(maxEpochs, value);
        return self();
    }

    public E setMaxTrainingSeconds(double value) {
        set(maxTrainingSeconds, value);
        return self();
    }

    public E setBatchSize(int value) {
        set(batchSize, value);
        return self();
    }

    public E setLearningRate(double value) {
        set(learningRate, value);
        return self();
    }

    public E setOptimizer(String value) {
        set(optimizer, value);
        return self();
    }

    public E setSchedule(String value) {
        set(schedule, value);
        return self();
    }

    public E setNormalization(String value) {
        set(normalization, value);
        return self();
    }

    public E setSeed(long value) {
        set(seed, value);
        return self();
    }

    public E setWorkers(int value) {
        set(workers, value);
        return self();
    }

    public E setConfigOverrides(String[] value) {
        set(configOverrides, value);
        return self();
    }

    public E setRunsDirectory(String value) {
        set(runsDirectory, value);
        return self();
    }

    public String[] getFeaturesCols() {
        return getOrDefault(featuresCols).clone();
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getLabelCol() {
        return getOrDefault(labelCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getModelType() {
        return getOrDefault(modelType);
    }

    public int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers).clone();
    }

    public String getLayers() {
        return getOrDefault(layers);
    }

    public double getMaxEpochs() {
        return (Double) getOrDefault(maxEpochs);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public double getLearningRate() {
        return (Double) getOrDefault(learningRate);
    }

    public String getOptimizer() {
        return getOrDefault(optimizer);
    }

    public String getSchedule() {
        return getOrDefault(schedule);
    }

    public String getNormalization() {
        return getOrDefault(normalization);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public String[] getConfigOverrides() {
        return getOrDefault(configOverrides).clone();
    }

    public String getRunsDirectory() {
        return getOrDefault(runsDirectory);
    }
}
