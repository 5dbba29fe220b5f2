package io.efftrain.jobs.ml;

import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.ModelType;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.IntParam;
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
 * efftrain's classifiers as a Spark ML {@link Estimator}, used like MLlib's {@code MultilayerPerceptronClassifier}:
 *
 * <pre>{@code
 * val clf = new EfftrainClassifier().setModelType("mlp").setHiddenLayers(Array(256, 128))
 *   .setMaxEpochs(10).setOptimizer("adam").setLearningRate(0.001)
 * val model = clf.fit(train)            // features: a Vector or array<float>/array<double>; label: 0..K-1
 * model.transform(test)                 // adds prediction, probability, rawPrediction
 * }</pre>
 *
 * <p>{@code fit} checks every row (a null or non-whole label, a NaN feature, a row of another length fails with
 * the column and the row's position), turns the rows into efftrain's canonical training rows (float32 features),
 * fits the normalisation on them, and trains with the parameter-averaging trainer of {@code efftrain run}: one
 * worker per Spark task slot unless {@link #setWorkers workers} says otherwise, the budget (epochs, optionally
 * wall-clock time) and a learning-rate schedule that reaches zero where the budget ends. Every other setting of
 * efftrain's config (regularisers, weight averaging, model.kernels, LeNet and ResNet widths, ...) is a
 * {@code key=value} entry of {@link #setConfigOverrides configOverrides}, checked against efftrain's defaults.
 *
 * <p>Per-example weights: {@link #setWeightCol weightCol} (MLlib's name) names a numeric column of finite weights of
 * at least 0; each example's loss and gradient are multiplied by its weight (a weight of 0 leaves the example out),
 * together with InfoBatch's rescaling where that is on. The classifier saves and loads like any Spark ML stage
 * (params only).
 */
public final class EfftrainClassifier extends TrainingEstimator<EfftrainClassificationModel, EfftrainClassifier> {
    private static final long serialVersionUID = 1L;
    private static final Kind KIND = new Kind(
            "features: a Vector column or an array<float>/array<double> column; images as arrays hold channel after "
                    + "channel, each row after row",
            "label: class indices 0..K-1 (int, long or double whole numbers)",
            "output: the predicted class index (double); '' = none",
            List.of("mlp", "lenet", "resnet", "vit", "layers", "keras"),
            "the network: mlp (dense layers of hiddenLayers), lenet (conv-pool-conv-pool-dense, for images), resnet "
                    + "(a small ResNet, for images), vit (a small Vision Transformer, for images; patch "
                    + "model.vit.patch must divide the sides), layers (your own network, in the layers param) or "
                    + "keras (a Keras model file: configOverrides model.keras=PATH); efftrain's model.type",
            "the network of modelType = layers in efftrain's model language, a HOCON list such as [{type = conv, "
                    + "filters = 16, kernel = 3, padding = same, activation = relu}, {type = max-pool, size = 2}, "
                    + "{type = dense, units = 64, activation = relu}] (model.layers)",
            ConfigLoader.defaults().getString("data.normalization"));

    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final IntParam imageRows;
    private final IntParam imageCols;
    private final IntParam imageChannels;
    private final IntParam numClasses;

    /** A classifier with a random uid. */
    public EfftrainClassifier() {
        this(Identifiable$.MODULE$.randomUID("efftrainClassifier"));
    }

    /** A classifier with the given uid (how Spark ML's readers and {@code copy} rebuild one). */
    public EfftrainClassifier(String uid) {
        super(uid, KIND);
        probabilityCol = new Param<>(this, "probabilityCol", "output: class probabilities (Vector); '' = none");
        rawPredictionCol = new Param<>(this, "rawPredictionCol", "output: log class probabilities, the softmax "
                + "inputs up to a constant per row (Vector); '' = none");
        imageRows = new IntParam(this, "imageRows", "image height for lenet and resnet (unset: a square image)",
                ParamValidators.gt(0));
        imageCols = new IntParam(this, "imageCols", "image width for lenet and resnet (unset: a square image)",
                ParamValidators.gt(0));
        imageChannels = new IntParam(this, "imageChannels", "image channels for lenet and resnet (1 = grey)",
                ParamValidators.gt(0));
        numClasses = new IntParam(this, "numClasses", "the class count K (unset: the label column's metadata, or "
                + "the largest label + 1)", ParamValidators.gtEq(2));
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(imageChannels, 1);
    }

    /** The class probability column the model writes (default {@code probability}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** The raw prediction column the model writes (default {@code rawPrediction}). */
    public Param<String> rawPredictionCol() {
        return rawPredictionCol;
    }

    /** Image height for the convolutional models. */
    public IntParam imageRows() {
        return imageRows;
    }

    /** Image width for the convolutional models. */
    public IntParam imageCols() {
        return imageCols;
    }

    /** Image channels for the convolutional models (default 1). */
    public IntParam imageChannels() {
        return imageChannels;
    }

    /** The class count, when the labels alone do not show it (a class absent from the training rows). */
    public IntParam numClasses() {
        return numClasses;
    }

    public EfftrainClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public EfftrainClassifier setRawPredictionCol(String value) {
        set(rawPredictionCol, value);
        return this;
    }

    public EfftrainClassifier setImageRows(int value) {
        set(imageRows, value);
        return this;
    }

    public EfftrainClassifier setImageCols(int value) {
        set(imageCols, value);
        return this;
    }

    public EfftrainClassifier setImageChannels(int value) {
        set(imageChannels, value);
        return this;
    }

    /** Sets the image shape in one call: height, width, channels. */
    public EfftrainClassifier setImageShape(int rows, int cols, int channels) {
        return setImageRows(rows).setImageCols(cols).setImageChannels(channels);
    }

    public EfftrainClassifier setNumClasses(int value) {
        set(numClasses, value);
        return this;
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getRawPredictionCol() {
        return getOrDefault(rawPredictionCol);
    }

    public int getImageChannels() {
        return (Integer) getOrDefault(imageChannels);
    }

    /**
     * The efftrain config {@code fit} trains with (defaults, typed params, configOverrides), validated: call it to
     * see a settings error, or the resolved HOCON ({@code render()}), without training.
     */
    public EfftrainConfig trainingConfig() {
        List<String> typed = typedSettings();
        return TrainingConfig.resolve(typed, Arrays.asList(getConfigOverrides()));
    }

    @Override
    public StructType transformSchema(StructType given) {
        StructType schema = NumericColumns.withFeatures(given, getFeaturesCols(), getFeaturesCol());
        ColumnChecks.features(schema, getFeaturesCol());
        ColumnChecks.label(schema, getLabelCol());
        if (weightColumn() != null) {
            ColumnChecks.weight(schema, weightColumn());
        }
        return EfftrainClassificationModel.outputSchema(schema, getPredictionCol(), getProbabilityCol(),
                getRawPredictionCol());
    }

    @Override
    public EfftrainClassificationModel fit(Dataset<?> given) {
        transformSchema(given.schema());
        Dataset<Row> dataset = NumericColumns.assemble(given, getFeaturesCols(), getFeaturesCol());
        EfftrainConfig config = trainingConfig();
        ModelType type = config.model().type();
        // Shape params are checked before the data is read where they can be; the feature count comes with the data.
        if (type != ModelType.MLP) {
            inputShape(type, -1);
        }
        // The run directory first: a folder that is not efftrain's is refused before any data moves.
        try (FitRun run = FitRun.open(getRunsDirectory(), uid(), config, Clock.systemUTC())) {
            TrainingExamples examples = TrainingExamples.of(dataset.toDF(), getFeaturesCol(), getLabelCol(),
                    weightColumn(), false,
                    isDefined(numClasses) ? OptionalInt.of((Integer) getOrDefault(numClasses)) : OptionalInt.empty(),
                    config.data().normalization());
            InputShape shape;
            Trainer trainer;
            SparkBlockSet train;
            try {
                shape = inputShape(type, examples.featureSize());
                // Built before the blocks are cached, so a model that cannot be built leaves nothing cached behind.
                trainer = new Trainer(config, shape, examples.classes());
                int parallelism = config.train().workers()
                        .orElse(dataset.sparkSession().sparkContext().defaultParallelism());
                train = new SparkBlockSet(ExampleBlocks.of(examples.trainingRows(), parallelism, examples.decoder(),
                        config.data().feed().blockMemory()));
            } finally {
                // The blocks are cached on the executors now; the converted rows are no longer needed.
                examples.release();
            }
            TrainingState trained;
            try {
                trained = trainer.train(train, Ticker.system(), trainer.driverAlgorithms(),
                        run.callbacks(Ticker.system()));
            } finally {
                train.release();
            }
            String runDirectory = run.commit(trained, train.blocks(), Map.of("task", "classification",
                    "examples", examples.examples(), "classes", examples.classes()));
            NetworkBytes network = NetworkBytes.of(trainer.toNetwork(trained.model()).model());
            EfftrainClassificationModel model = new EfftrainClassificationModel(uid(), network,
                    new EfftrainClassificationModel.Shape(examples.featureSize(), examples.classes(), shape),
                    examples.normalization(), trained.time().epochs(),
                    trained.stopReason().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse("unknown"), runDirectory);
            return copyValues(model, ParamMap.empty()).setParent(this);
        }
    }

    /**
     * The network's input shape: a flat vector for the mlp, an image (channels x rows x cols) for the convolutional
     * models, whose unset sides are derived from the feature count ({@code featureSize} -1 checks only the params).
     */
    InputShape inputShape(ModelType type, int featureSize) {
        int channels = getImageChannels();
        boolean rowsSet = isDefined(imageRows);
        boolean colsSet = isDefined(imageCols);
        if (type == ModelType.MLP) {
            if (featureSize > 0 && rowsSet && colsSet) {
                return image((Integer) getOrDefault(imageRows), (Integer) getOrDefault(imageCols), channels,
                        featureSize, type);
            }
            return new InputShape(featureSize, 1, 1);
        }
        if (featureSize < 0) {
            if (rowsSet && colsSet) {
                minimumSize(type, (Integer) getOrDefault(imageRows), (Integer) getOrDefault(imageCols));
            }
            return null;
        }
        if (featureSize % channels != 0) {
            throw EfftrainException.badConfig("imageChannels = " + channels + ", but the features have " + featureSize
                    + " values, not a multiple of " + channels + ".");
        }
        int pixels = featureSize / channels;
        int rows;
        int cols;
        if (rowsSet || colsSet) {
            rows = rowsSet ? (Integer) getOrDefault(imageRows) : pixels / (Integer) getOrDefault(imageCols);
            cols = colsSet ? (Integer) getOrDefault(imageCols) : pixels / rows;
        } else {
            rows = (int) Math.round(Math.sqrt(pixels));
            cols = rows;
            if ((long) rows * cols != pixels && (type == ModelType.LAYERS || type == ModelType.KERAS)) {
                // A network of the user's own on features that are no square image: one position, many channels.
                return new InputShape(featureSize, 1, 1);
            }
            if ((long) rows * cols != pixels) {
                throw EfftrainException.badConfig("modelType = " + type.name().toLowerCase(Locale.ROOT) + " needs "
                        + "images: the features have " + featureSize + " values, which is not a square image of "
                        + channels + " channel(s); set imageRows and imageCols (and imageChannels).");
            }
        }
        return image(rows, cols, channels, featureSize, type);
    }

    private InputShape image(int rows, int cols, int channels, int featureSize, ModelType type) {
        if ((long) rows * cols * channels != featureSize) {
            throw EfftrainException.badConfig("imageRows x imageCols x imageChannels = " + rows + " x " + cols + " x "
                    + channels + " = " + (long) rows * cols * channels + ", but the features have " + featureSize
                    + " values per row.");
        }
        minimumSize(type, rows, cols);
        return new InputShape(channels, rows, cols);
    }

    private static void minimumSize(ModelType type, int rows, int cols) {
        // Two 5x5 convolutions, each followed by a 2x2 pooling, leave nothing of an image smaller than 16x16.
        if (type == ModelType.LENET && (rows < 16 || cols < 16)) {
            throw EfftrainException.badConfig("modelType = lenet needs images of at least 16 x 16 (its two 5x5 "
                    + "convolutions and poolings), but imageRows x imageCols is " + rows + " x " + cols
                    + "; use modelType = mlp or resnet.");
        }
    }

    @Override
    public EfftrainClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** How Spark ML ({@code Pipeline.load}, {@code CrossValidator.load}) finds this stage's reader. */
    public static MLReader<EfftrainClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a classifier saved with {@code write().save(path)}. */
    public static EfftrainClassifier load(String path) {
        return read().load(path);
    }
}
