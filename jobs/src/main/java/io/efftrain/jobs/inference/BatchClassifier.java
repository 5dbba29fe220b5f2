package io.efftrain.jobs.inference;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.api.Model;

/**
 * Batch inference with a trained efftrain model as a Spark ML {@link Transformer}: to a DataFrame with a binary
 * {@code features} column in the canonical encoding (a canonical table's rows, for example) it adds
 * {@code prediction} (the arg-max class, double) and {@code probability} (the softmax output, a Vector), computed
 * on the executors with the model broadcast once.
 *
 * <p>Features are decoded exactly as training decoded them: with the decoder of the training table's manifest
 * (encoding and train-split normalisation), which this transformer carries and saves. It saves and loads like any
 * Spark ML stage ({@code write().save(path)}, {@link #load(String)}, inside a {@code PipelineModel} too): the
 * directory holds Spark's {@code metadata} (uid and params), {@code model.zip} (DL4J ModelSerializer, without
 * updater state) and the table manifest.
 */
public final class BatchClassifier extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String MODEL_FILE = "model.zip";

    private final String uid;
    private final NetworkBytes model;
    private final TableManifest manifest;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final IntParam batchSize;

    BatchClassifier(String uid, NetworkBytes model, TableManifest manifest) {
        this.uid = uid;
        this.model = model;
        this.manifest = Objects.requireNonNull(manifest);
        this.featuresCol = new Param<>(this, "featuresCol", "binary column of encoded features (canonical layout)");
        this.predictionCol = new Param<>(this, "predictionCol", "output column: predicted class index (double)");
        this.probabilityCol = new Param<>(this, "probabilityCol", "output column: class probabilities (Vector)");
        this.batchSize = new IntParam(this, "batchSize", "rows scored together on an executor",
                ParamValidators.gt(0));
        setDefault(featuresCol, CanonicalLayout.FEATURES);
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(batchSize, 256);
    }

    /**
     * A classifier for {@code network} (a MultiLayerNetwork or a ComputationGraph), fed features stored as
     * {@code table} describes them (its manifest: the table the network was trained on).
     */
    public static BatchClassifier of(Model network, TableManifest table) {
        return new BatchClassifier(Identifiable$.MODULE$.randomUID("efftrainBatchClassifier"),
                NetworkBytes.of(network), table);
    }

    /**
     * The classifier of a committed run directory ({@code model.zip} and the manifest of {@code data/canonical}),
     * local or on any Hadoop file system.
     */
    public static BatchClassifier fromRun(SparkSession spark, String runDir) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        return new BatchClassifier(Identifiable$.MODULE$.randomUID("efftrainBatchClassifier"),
                readNetwork(new Path(runDir, MODEL_FILE), hadoop), TableManifest.read(tableOf(runDir, hadoop), hadoop));
    }

    /**
     * The table a run trained on: its own {@code data/canonical}, or, for a run of {@code data.source = table},
     * the table its manifest.json names.
     */
    static String tableOf(String runDir, Configuration hadoop) {
        Path own = new Path(runDir, "data/canonical");
        try {
            FileSystem fs = own.getFileSystem(hadoop);
            if (fs.exists(new Path(own, TableManifest.FILE_NAME))) {
                return own.toString();
            }
            Path manifest = new Path(runDir, "manifest.json");
            if (fs.exists(manifest)) {
                try (InputStream in = fs.open(manifest)) {
                    String table = io.efftrain.pipeline.run.Json.mapper().readTree(in).path("data").path("table")
                            .asText("");
                    if (!table.isEmpty()) {
                        return table;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the run directory " + runDir, e);
        }
        return own.toString();
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The column of encoded features (default {@code features}). */
    public Param<String> featuresCol() {
        return featuresCol;
    }

    /** The predicted class index column (default {@code prediction}). */
    public Param<String> predictionCol() {
        return predictionCol;
    }

    /** The class probability column (default {@code probability}). */
    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    /** How many rows an executor scores in one forward pass (default 256). */
    public IntParam batchSize() {
        return batchSize;
    }

    public BatchClassifier setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public BatchClassifier setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public BatchClassifier setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public BatchClassifier setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /** The manifest of the table the model was trained on: shape, encoding, class names, normalisation. */
    public TableManifest manifest() {
        return manifest;
    }

    /** A copy of the network this transformer applies (a MultiLayerNetwork or a ComputationGraph). */
    public Model network() {
        return model.restore();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String features = getOrDefault(featuresCol);
        if (!Arrays.asList(schema.fieldNames()).contains(features)) {
            throw new IllegalArgumentException("no column '" + features + "' among " + Arrays.toString(schema.fieldNames()));
        }
        if (!schema.apply(features).dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("column '" + features + "' is " + schema.apply(features).dataType()
                    .simpleString() + "; expected binary features in the canonical encoding (" + manifest.encoding() + ")");
        }
        for (Param<String> output : java.util.List.of(predictionCol, probabilityCol)) {
            if (Arrays.asList(schema.fieldNames()).contains(getOrDefault(output))) {
                throw new IllegalArgumentException("output column '" + getOrDefault(output) + "' exists already");
            }
        }
        return schema.add(new StructField(getOrDefault(predictionCol), DataTypes.DoubleType, false,
                        org.apache.spark.sql.types.Metadata.empty()))
                .add(new StructField(getOrDefault(probabilityCol), SQLDataTypes.VectorType(), false,
                        org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        Broadcast<NetworkBytes> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        ClassifyPartition classify = new ClassifyPartition(shared, manifest.decoder(),
                dataset.schema().fieldIndex(getOrDefault(featuresCol)), (Integer) getOrDefault(batchSize));
        return dataset.toDF().mapPartitions(classify, Encoders.row(output));
    }

    @Override
    public BatchClassifier copy(ParamMap extra) {
        return copyValues(new BatchClassifier(uid, model, manifest), extra);
    }

    @Override
    public MLWriter write() {
        return new BatchClassifierWriter(this);
    }

    /** How Spark ML (and {@code PipelineModel.load}) finds the reader of this stage. */
    public static MLReader<BatchClassifier> read() {
        return new BatchClassifierReader();
    }

    /** Loads a classifier saved with {@code write().save(path)}. */
    public static BatchClassifier load(String path) {
        return read().load(path);
    }

    NetworkBytes modelBytes() {
        return model;
    }

    static NetworkBytes readNetwork(Path file, Configuration hadoop) {
        try (InputStream in = file.getFileSystem(hadoop).open(file)) {
            return NetworkBytes.fromZip(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model " + file, e);
        }
    }

    static void writeBytes(Path file, byte[] bytes, Configuration hadoop) {
        try (OutputStream out = FileSystem.get(file.toUri(), hadoop).create(file, false)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
