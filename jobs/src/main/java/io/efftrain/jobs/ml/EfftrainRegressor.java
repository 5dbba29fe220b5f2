package io.efftrain.jobs.ml;

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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
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
public final class EfftrainRegressor extends TrainingEstimator<EfftrainRegressionModel, EfftrainRegressor> {
    private static final long serialVersionUID = 1L;
    private static final List<String> LOSSES = List.of("squaredError", "huber");
    // Standardised features suit a regression network on tabular columns of any range.
    private static final Kind KIND = new Kind(
            "features: a Vector column (VectorAssembler's output) or an array<float>/array<double> column",
            "label: the regression target, a number per row",
            "output: the predicted label (double)",
            List.of("mlp", "layers"),
            "the network: mlp (dense layers of hiddenLayers) or layers (your own, in the layers param); efftrain's "
                    + "model.type",
            "the network of modelType = layers in efftrain's model language, a HOCON list such as [{type = dense, "
                    + "units = 64, activation = relu}] (model.layers); the output is added after it",
            "standardize");

    private final Param<String> loss;
    private final DoubleParam huberDelta;

    /** A regressor with a random uid. */
    public EfftrainRegressor() {
        this(Identifiable$.MODULE$.randomUID("efftrainRegressor"));
    }

    /** A regressor with the given uid (how Spark ML's readers and {@code copy} rebuild one). */
    public EfftrainRegressor(String uid) {
        super(uid, KIND);
        loss = new Param<>(this, "loss", "the loss: squaredError or huber (model.regression.loss)",
                ParamValidators.inArray(LOSSES));
        huberDelta = new DoubleParam(this, "huberDelta", "where Huber's loss turns linear, in standard deviations of "
                + "the label (model.regression.huber-delta)", ParamValidators.gt(0));
        setDefault(loss, "squaredError");
        setDefault(huberDelta, ConfigLoader.defaults().getDouble("model.regression.huber-delta"));
    }

    /** squaredError or huber (default squaredError). */
    public Param<String> loss() {
        return loss;
    }

    /** Huber's delta in label standard deviations (default 1). */
    public DoubleParam huberDelta() {
        return huberDelta;
    }

    public EfftrainRegressor setLoss(String value) {
        set(loss, value);
        return this;
    }

    public EfftrainRegressor setHuberDelta(double value) {
        set(huberDelta, value);
        return this;
    }

    public String getLoss() {
        return getOrDefault(loss);
    }

    public double getHuberDelta() {
        return (Double) getOrDefault(huberDelta);
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
        typed.addAll(typedSettings());
        EfftrainConfig config = TrainingConfig.resolve(typed, Arrays.asList(getConfigOverrides()));
        RegularizationSettings mixing = config.train().regularization();
        if (mixing.labelSmoothing().isPresent() || mixing.mixupAlpha().isPresent()
                || mixing.cutmixAlpha().isPresent()) {
            throw EfftrainException.badConfig("configOverrides: train.regularization.label-smoothing, mixup and "
                    + "cutmix mix class labels; a regressor has none. Remove them.");
        }
        return config;
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
        try (FitRun run = FitRun.open(getRunsDirectory(), uid(), config, Clock.systemUTC())) {
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
            EfftrainRegressionModel model = new EfftrainRegressionModel(uid(), network, examples.featureSize(), shape,
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
