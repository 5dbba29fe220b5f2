package io.efftrain.jobs.ml;

import com.typesafe.config.Config;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.RegularizationSettings;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * efftrain's networks as a Spark ML regressor, for tabular data, used like MLlib's {@code LinearRegression}:
 *
 * <pre>{@code
 * val reg = new EfftrainRegressor().setHiddenLayers(Array(64, 32)).setLoss("huber")
 *   .setMaxEpochs(200).setOptimizer("adam").setLearningRate(0.003)
 * val model = reg.fit(train)     // features: a Vector or array<float>/array<double>; label: any number
 * model.transform(test)          // adds prediction (double)
 * }</pre>
 *
 * <p>The network ends in one output with no activation, trained with the squared error or Huber's loss
 * ({@link #setLoss loss}; {@code efftrain}'s model.task = regression) by the same parameter-averaging trainer,
 * budgets and schedules as {@link EfftrainClassifier}. The label is standardised for training (its mean and standard
 * deviation are kept by the model, which maps predictions back), so learning rates and Huber's
 * {@link #setHuberDelta delta} (in standard deviations of the label) mean the same whatever the label's scale.
 * Features are checked row by row and normalised as the classifier does; {@link #setWeightCol weightCol} weighs each
 * example's loss. Every other efftrain setting is a {@code key=value} entry of {@code configOverrides}; mixup,
 * cutmix and label smoothing, which mix class labels, are refused.
 */
public final class EfftrainRegressor extends Estimator<EfftrainRegressionModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final List<String> MODEL_TYPES = List.of("mlp", "layers");
    private static final List<String> LOSSES = List.of("squaredError", "huber");
    private static final List<String> OPTIMIZERS = List.of("sgd", "nesterovs", "adam", "lars", "lamb");
    private static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "linear-to-zero", "rex",
            "one-cycle");
    private static final List<String> NORMALIZATIONS = List.of("scale", "standardize", "none");

    private final String uid;
    private final Param<String> featuresCol;
    private final StringArrayParam featuresCols;
    private final Param<String> labelCol;
    private final Param<String> weightCol;
    private final Param<String> predictionCol;
    private final Param<String> modelType;
    private final IntArrayParam hiddenLayers;
    private final Param<String> layers;
    private final Param<String> loss;
    private final DoubleParam huberDelta;
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

    /** A regressor with a random uid. */
    public EfftrainRegressor() {
        this(Identifiable$.MODULE$.randomUID("efftrainRegressor"));
    }

    /** A regressor with the given uid (how Spark ML's readers and {@code copy} rebuild one). */
    public EfftrainRegressor(String uid) {
        this.uid = uid;
        featuresCols = NumericColumns.param(this);
        featuresCol = new Param<>(this, "featuresCol", "features: a Vector column (VectorAssembler's output) or an "
                + "array<float>/array<double> column");
        labelCol = new Param<>(this, "labelCol", "label: the regression target, a number per row");
        weightCol = new Param<>(this, "weightCol", "per-example loss weights: a numeric column of finite values of at "
                + "least 0 (unset or '': every example weighs 1)");
        predictionCol = new Param<>(this, "predictionCol", "output: the predicted label (double)");
        modelType = new Param<>(this, "modelType", "the network: mlp (dense layers of hiddenLayers) or layers (your "
                + "own, in the layers param); efftrain's model.type", ParamValidators.inArray(MODEL_TYPES));
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "widths of the mlp's hidden layers, input side "
                + "first (model.mlp.hidden)", (scala.Function1<int[], Object> & java.io.Serializable) widths ->
                widths.length > 0 && Arrays.stream(widths).allMatch(w -> w > 0));
        layers = new Param<>(this, "layers", "the network of modelType = layers in efftrain's model language, a "
                + "HOCON list such as [{type = dense, units = 64, activation = relu}] (model.layers); the output "
                + "is added after it");
        loss = new Param<>(this, "loss", "the loss: squaredError or huber (model.regression.loss)",
                ParamValidators.inArray(LOSSES));
        huberDelta = new DoubleParam(this, "huberDelta", "where Huber's loss turns linear, in standard deviations of "
                + "the label (model.regression.huber-delta)", ParamValidators.gt(0));
        maxEpochs = new DoubleParam(this, "maxEpochs", "budget: passes over the training data, may be fractional "
                + "(train.budget.epochs)", ParamValidators.gt(0));
        maxTrainingSeconds = new DoubleParam(this, "maxTrainingSeconds", "budget: training wall-clock seconds "
                + "(train.budget.wall-clock; unset: no time limit)", ParamValidators.gt(0));
        batchSize = new IntParam(this, "batchSize", "minibatch size per worker (train.batch-size)",
                ParamValidators.gt(0));
        learningRate = new DoubleParam(this, "learningRate", "the base learning rate the schedule starts from "
                + "(train.optimizer.learning-rate)", ParamValidators.gt(0));
        optimizer = new Param<>(this, "optimizer", "the update rule: sgd, nesterovs, adam, lars or lamb "
                + "(train.optimizer.type)", ParamValidators.inArray(OPTIMIZERS));
        schedule = new Param<>(this, "schedule", "the learning-rate schedule over the budget: constant, step, cosine,"
                + " linear-to-zero, rex or one-cycle (train.schedule)", ParamValidators.inArray(SCHEDULES));
        normalization = new Param<>(this, "normalization", "feature normalisation with statistics of the training "
                + "rows: scale (min-max to [0, 1]), standardize or none (data.normalization)",
                ParamValidators.inArray(NORMALIZATIONS));
        seed = new LongParam(this, "seed", "seed of initialisation, shuffling and worker order (run.seed)");
        workers = new IntParam(this, "workers", "parallel training workers (train.workers; unset: the session's "
                + "default parallelism)", ParamValidators.gt(0));
        runsDirectory = FitRun.param(this);
        configOverrides = new StringArrayParam(this, "configOverrides", "key=value overrides of any other efftrain "
                + "config key (bin/efftrain defaults lists the keys)",
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
        setDefault(loss, "squaredError");
        setDefault(huberDelta, defaults.getDouble("model.regression.huber-delta"));
        setDefault(maxEpochs, defaults.getDouble("train.budget.epochs"));
        setDefault(batchSize, defaults.getInt("train.batch-size"));
        setDefault(learningRate, defaults.getDouble("train.optimizer.learning-rate"));
        setDefault(optimizer, defaults.getString("train.optimizer.type"));
        setDefault(schedule, defaults.getString("train.schedule"));
        // Standardised features suit a regression network on tabular columns of any range.
        setDefault(normalization, "standardize");
        setDefault(seed, defaults.getLong("run.seed"));
        setDefault(configOverrides, new String[0]);
        setDefault(runsDirectory, "");
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

    public EfftrainRegressor setFeaturesCols(String[] value) {
        set(featuresCols, value);
        return this;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public Param<String> weightCol() {
        return weightCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> modelType() {
        return modelType;
    }

    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public Param<String> layers() {
        return layers;
    }

    /** squaredError or huber (default squaredError). */
    public Param<String> loss() {
        return loss;
    }

    /** Huber's delta in label standard deviations (default 1). */
    public DoubleParam huberDelta() {
        return huberDelta;
    }

    public DoubleParam maxEpochs() {
        return maxEpochs;
    }

    public DoubleParam maxTrainingSeconds() {
        return maxTrainingSeconds;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public Param<String> schedule() {
        return schedule;
    }

    public Param<String> normalization() {
        return normalization;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam workers() {
        return workers;
    }

    public StringArrayParam configOverrides() {
        return configOverrides;
    }

    /** Where each fit records its run directory and report (default '': nowhere). */
    public Param<String> runsDirectory() {
        return runsDirectory;
    }

    public EfftrainRegressor setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public EfftrainRegressor setLabelCol(String value) {
        set(labelCol, value);
        return this;
    }

    public EfftrainRegressor setWeightCol(String value) {
        set(weightCol, value);
        return this;
    }

    public EfftrainRegressor setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public EfftrainRegressor setModelType(String value) {
        set(modelType, value);
        return this;
    }

    public EfftrainRegressor setHiddenLayers(int[] value) {
        set(hiddenLayers, value);
        return this;
    }

    public EfftrainRegressor setLayers(String value) {
        set(layers, value);
        return this;
    }

    public EfftrainRegressor setLoss(String value) {
        set(loss, value);
        return this;
    }

    public EfftrainRegressor setHuberDelta(double value) {
        set(huberDelta, value);
        return this;
    }

    public EfftrainRegressor setMaxEpochs(double value) {
        set(maxEpochs, value);
        return this;
    }

    public EfftrainRegressor setMaxTrainingSeconds(double value) {
        set(maxTrainingSeconds, value);
        return this;
    }

    public EfftrainRegressor setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    public EfftrainRegressor setLearningRate(double value) {
        set(learningRate, value);
        return this;
    }

    public EfftrainRegressor setOptimizer(String value) {
        set(optimizer, value);
        return this;
    }

    public EfftrainRegressor setSchedule(String value) {
        set(schedule, value);
        return this;
    }

    public EfftrainRegressor setNormalization(String value) {
        set(normalization, value);
        return this;
    }

    public EfftrainRegressor setSeed(long value) {
        set(seed, value);
        return this;
    }

    public EfftrainRegressor setWorkers(int value) {
        set(workers, value);
        return this;
    }

    public EfftrainRegressor setConfigOverrides(String[] value) {
        set(configOverrides, value);
        return this;
    }

    public EfftrainRegressor setRunsDirectory(String value) {
        set(runsDirectory, value);
        return this;
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

    public String getLoss() {
        return getOrDefault(loss);
    }

    public double getHuberDelta() {
        return (Double) getOrDefault(huberDelta);
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

    /** The weight column, or null when unset or empty. */
    String weightColumn() {
        return isDefined(weightCol) && !getOrDefault(weightCol).isEmpty() ? getOrDefault(weightCol) : null;
    }

    /**
     * The efftrain config {@code fit} trains with (defaults, typed params, configOverrides; model.task =
     * regression), validated: call it to see a settings error without training.
     */
    public EfftrainConfig trainingConfig() {
        List<String> typed = new ArrayList<>();
        typed.add("model.task=regression");
        typed.add("model.regression.loss=" + ("huber".equals(getLoss()) ? "huber" : "squared-error"));
        typed.add("model.regression.huber-delta=" + number(getHuberDelta()));
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
        EfftrainConfig config = TrainingConfig.resolve(typed, Arrays.asList(getConfigOverrides()));
        RegularizationSettings mixing = config.train().regularization();
        if (mixing.labelSmoothing().isPresent() || mixing.mixupAlpha().isPresent()
                || mixing.cutmixAlpha().isPresent()) {
            throw EfftrainException.badConfig("configOverrides: train.regularization.label-smoothing, mixup and "
                    + "cutmix mix class labels; a regressor has none. Remove them.");
        }
        return config;
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).toPlainString();
    }

    @Override
    public StructType transformSchema(StructType given) {
        StructType schema = NumericColumns.withFeatures(given, getFeaturesCols(), getFeaturesCol());
        ColumnChecks.features(schema, getFeaturesCol());
        ColumnChecks.target(schema, getLabelCol());
        if (weightColumn() != null) {
            ColumnChecks.weight(schema, weightColumn());
        }
        return EfftrainRegressionModel.outputSchema(schema, getPredictionCol());
    }

    @Override
    public EfftrainRegressionModel fit(Dataset<?> given) {
        transformSchema(given.schema());
        Dataset<Row> dataset = NumericColumns.assemble(given, getFeaturesCols(), getFeaturesCol());
        EfftrainConfig config = trainingConfig();
        // The run directory first: a folder that is not efftrain's is refused before any data moves.
        try (FitRun run = FitRun.open(getRunsDirectory(), uid, config, Clock.systemUTC())) {
            TrainingExamples examples = TrainingExamples.of(dataset.toDF(), getFeaturesCol(), getLabelCol(),
                    weightColumn(), true, OptionalInt.empty(), config.data().normalization());
            // A flat vector: the mlp's dense layers read it as is, a layers network as one position of many channels.
            InputShape shape = new InputShape(examples.featureSize(), 1, 1);
            Trainer trainer;
            SparkBlockSet train;
            try {
                trainer = new Trainer(config, shape, 1);
                int parallelism = config.train().workers()
                        .orElse(dataset.sparkSession().sparkContext().defaultParallelism());
                train = new SparkBlockSet(ExampleBlocks.of(examples.trainingRows(), parallelism, examples.decoder(),
                        config.data().feed().blockMemory()));
            } finally {
                examples.release();
            }
            TrainingState trained;
            EvaluationCounts fitted;
            try {
                trained = trainer.train(train, Ticker.system(), trainer.driverAlgorithms(),
                        run.callbacks(Ticker.system()));
                // The training rows' errors at the end, for the model's summary (in the label's own units below).
                fitted = trainer.evaluate(train, trained.model());
            } finally {
                train.release();
            }
            double rmse = fitted.rmse() * examples.labelStd();
            double mae = fitted.mae() * examples.labelStd();
            String runDirectory = run.commit(trained, train.blocks(), Map.of("task", "regression",
                    "examples", examples.examples(), "training_rmse", rmse, "training_mae", mae));
            NetworkBytes network = NetworkBytes.of(trainer.toNetwork(trained.model()).model());
            EfftrainRegressionModel model = new EfftrainRegressionModel(uid, network, examples.featureSize(), shape,
                    examples.normalization(), examples.labelMean(), examples.labelStd(),
                    new EfftrainRegressionModel.Summary(trained.time().epochs(),
                            trained.stopReason().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unknown"),
                            rmse, mae, runDirectory));
            return copyValues(model, ParamMap.empty()).setParent(this);
        }
    }

    @Override
    public EfftrainRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** How Spark ML ({@code Pipeline.load}, {@code CrossValidator.load}) finds this stage's reader. */
    public static MLReader<EfftrainRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a regressor saved with {@code write().save(path)}. */
    public static EfftrainRegressor load(String path) {
        return read().load(path);
    }
}
