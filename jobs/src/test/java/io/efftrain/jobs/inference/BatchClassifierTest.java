package io.efftrain.jobs.inference;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.jobs.Main;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.model.InputShape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch-inference transformer on the model of a real run (a Fashion-MNIST slice): it agrees with the trainer's
 * own evaluation, and predicts the same after save and load, alone and inside a PipelineModel.
 */
class BatchClassifierTest {
    @TempDir
    static Path dir;
    private static Path runDir;
    private static SparkSession spark;

    @BeforeAll
    static void trainARun() {
        FashionMnist.require();
        runDir = dir.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"run", "../conf/fashion-mnist.conf", "--run-dir", runDir.toString(),
                "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=3000", "--set", "data.test-limit=500",
                "--set", "train.budget.epochs=1", "--set", "train.evaluation.every-epochs=null",
                "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                "--set", "model.lenet.dense-units=64"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        spark = SparkSession.active();
    }

    private static String table() {
        return runDir.resolve("data/canonical").toUri().toString();
    }

    private static Dataset<Row> testSplit() {
        return CanonicalTables.readSplit(spark, table(), "test");
    }

    @Test
    void accuracyOnTheTestSplitEqualsTheTrainersEvaluation() throws Exception {
        BatchClassifier classifier = BatchClassifier.fromRun(spark, runDir.toString());
        Dataset<Row> scored = classifier.transform(testSplit());
        assertEquals(List.of("id", "label", "features", "split", "prediction", "probability"),
                List.of(scored.columns()));
        long correct = scored.where(col("prediction").equalTo(col("label").cast("double"))).count();

        TableManifest manifest = TableManifest.read(table(), spark.sparkContext().hadoopConfiguration());
        Trainer trainer = new Trainer(ConfigLoader.load(runDir.resolve("config.conf"), List.of()),
                new InputShape(1, 28, 28), manifest.classNames().size());
        SparkBlockSet blocks = new SparkBlockSet(ExampleBlocks.of(testSplit(), 2, manifest.decoder()));
        EvaluationCounts expected = trainer.evaluate(blocks, NetworkState.capture(io.efftrain.trainers.network.Network
                .of(ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile(), false))));
        blocks.release();

        assertEquals(500, expected.examples());
        assertEquals(expected.correct(), correct, "correct predictions, transformer vs Trainer.evaluate");
        double summaryAccuracy = Json.mapper().readTree(runDir.resolve("summary.json").toFile())
                .get("test_accuracy").asDouble();
        assertEquals(summaryAccuracy, correct / 500.0, 1e-12, "the run's own test accuracy");

        Row first = scored.first();
        Vector probability = first.getAs("probability");
        assertEquals(10, probability.size());
        assertEquals(1.0, java.util.Arrays.stream(probability.toArray()).sum(), 1e-4, "a softmax output");
        assertEquals(probability.argmax(), (int) first.<Double>getAs("prediction").doubleValue());
    }

    @Test
    void savedAndLoadedItPredictsTheSameAloneAndInAPipeline() throws Exception {
        BatchClassifier classifier = BatchClassifier.fromRun(spark, runDir.toString())
                .setBatchSize(100).setPredictionCol("class");
        List<Row> before = predictions(classifier.transform(testSplit()), "class");

        String saved = dir.resolve("classifier").toString();
        classifier.write().save(saved);
        BatchClassifier loaded = BatchClassifier.load(saved);
        assertEquals(classifier.uid(), loaded.uid());
        assertEquals(100, (Integer) loaded.getOrDefault(loaded.batchSize()));
        assertEquals(before, predictions(loaded.transform(testSplit()), "class"));

        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {loaded}).fit(testSplit());
        String savedPipeline = dir.resolve("pipeline").toString();
        pipeline.write().save(savedPipeline);
        assertEquals(before, predictions(PipelineModel.load(savedPipeline).transform(testSplit()), "class"));
    }

    @Test
    void featuresThatAreNotBinaryAreRejectedWithTheColumnNamed() {
        BatchClassifier classifier = BatchClassifier.fromRun(spark, runDir.toString());
        Dataset<Row> wrong = testSplit().withColumn("features", col("label"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> classifier.transform(wrong));
        assertTrue(e.getMessage().contains("column 'features' is int"), e.getMessage());
    }

    private static List<Row> predictions(Dataset<Row> scored, String predictionColumn) {
        return scored.select(col("id"), col(predictionColumn), col("probability")).orderBy("id").collectAsList();
    }

    @Test
    void aComputationGraphClassifiesAndARunOfAPreparedTableFindsItsTable() throws Exception {
        TableManifest manifest = TableManifest.read(table(), spark.sparkContext().hadoopConfiguration());
        // The ResNet is a ComputationGraph ("Saved model appears to be a ComputationGraph" before).
        Trainer resnet = new Trainer(ConfigLoader.load(null, List.of("model.type=resnet")), new InputShape(1, 28, 28),
                manifest.classNames().size());
        BatchClassifier graph = BatchClassifier.of(resnet.newNetwork().model(), manifest);
        assertTrue(graph.network() instanceof org.deeplearning4j.nn.graph.ComputationGraph);
        Row first = graph.transform(testSplit()).first();
        assertEquals(1.0, java.util.Arrays.stream(first.<Vector>getAs("probability").toArray()).sum(), 1e-4);
        String saved = dir.resolve("graph-classifier").toString();
        graph.write().save(saved);
        assertEquals(predictions(graph.transform(testSplit()), "prediction"),
                predictions(BatchClassifier.load(saved).transform(testSplit()), "prediction"));

        // A run of data.source = table has no data/canonical of its own: its manifest.json names the table.
        Path tableRun = java.nio.file.Files.createDirectories(dir.resolve("table-run"));
        java.nio.file.Files.copy(runDir.resolve("model.zip"), tableRun.resolve("model.zip"));
        java.nio.file.Files.writeString(tableRun.resolve("manifest.json"),
                "{\"data\": {\"table\": \"" + table() + "\"}}");
        assertEquals(predictions(BatchClassifier.fromRun(spark, runDir.toString()).transform(testSplit()), "prediction"),
                predictions(BatchClassifier.fromRun(spark, tableRun.toString()).transform(testSplit()), "prediction"));
    }
}
