package io.efftrain.jobs.ml;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.testing.FashionMnist;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier as a data engineer uses it from spark-shell, on real Fashion-MNIST slices: inside a Pipeline after
 * MLlib's StandardScaler, evaluated with MLlib's evaluator, saved and loaded as a PipelineModel; tuned by a
 * CrossValidator; and the LeNet (a MultiLayerNetwork) and ResNet (a ComputationGraph) on images given as
 * array&lt;float&gt; columns.
 */
class EfftrainClassifierPipelineTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        FashionMnist.require();
    }

    @Test
    void aPipelineWithStandardScalerLearnsSavesAndLoads() throws Exception {
        Dataset<Row> train = FashionFrames.vectors(true, 2000);
        Dataset<Row> test = FashionFrames.vectors(false, 500);
        EfftrainClassifier classifier = new EfftrainClassifier().setModelType("mlp")
                .setHiddenLayers(new int[] {128, 64}).setMaxEpochs(8).setOptimizer("adam").setLearningRate(0.002)
                .setBatchSize(32).setWorkers(2);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new StandardScaler().setInputCol("pixels").setOutputCol("features"), classifier});
        PipelineModel fitted = pipeline.fit(train);

        Dataset<Row> predicted = fitted.transform(test).cache();
        assertEquals(List.of("label", "pixels", "features", "prediction", "probability", "rawPrediction"),
                List.of(predicted.columns()));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.7, "accuracy " + accuracy + " on 500 test images after training on 2,000");
        EfftrainClassificationModel model = (EfftrainClassificationModel) fitted.stages()[1];
        assertEquals(10, model.numClasses());
        assertEquals(784, model.numFeatures());
        assertEquals(classifier, model.parent());
        Row first = predicted.select("prediction", "probability", "rawPrediction").head();
        Vector probability = first.getAs(1);
        assertEquals(1.0, java.util.Arrays.stream(probability.toArray()).sum(), 1e-4);
        assertEquals(probability.argmax(), ((Vector) first.getAs(2)).argmax());
        assertEquals((double) probability.argmax(), first.getDouble(0));

        String saved = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        assertInstanceOf(EfftrainClassificationModel.class, loaded.stages()[1]);
        List<Row> before = predicted.select("prediction", "probability").collectAsList();
        List<Row> after = loaded.transform(test).select("prediction", "probability").collectAsList();
        assertEquals(before, after, "the loaded PipelineModel predicts exactly as the fitted one");
        predicted.unpersist();

        // The classifier alone (params only) saves and loads too.
        String estimator = dir.resolve("classifier").toString();
        classifier.write().overwrite().save(estimator);
        EfftrainClassifier reloaded = EfftrainClassifier.load(estimator);
        assertEquals(classifier.uid(), reloaded.uid());
        assertArrayEquals(new int[] {128, 64}, reloaded.getHiddenLayers());
        assertEquals("adam", reloaded.getOptimizer());
    }

    @Test
    void aCrossValidatorPicksALearningRate() throws Exception {
        Dataset<Row> data = FashionFrames.vectors(true, 800).withColumnRenamed("pixels", "features");
        Path runs = dir.resolve("cv-runs");
        EfftrainClassifier classifier = new EfftrainClassifier().setHiddenLayers(new int[] {32}).setMaxEpochs(1)
                .setWorkers(2).setRunsDirectory(runs.toString());
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(classifier.learningRate(), new double[] {0.05, 0.0001})
                .build();
        CrossValidator validator = new CrossValidator().setEstimator(classifier).setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2).setSeed(7);
        CrossValidatorModel tuned = validator.fit(data);

        assertEquals(2, tuned.avgMetrics().length);
        EfftrainClassificationModel best = assertInstanceOf(EfftrainClassificationModel.class, tuned.bestModel());
        double bestRate = ((EfftrainClassifier) best.parent()).getLearningRate();
        int bestIndex = tuned.avgMetrics()[0] >= tuned.avgMetrics()[1] ? 0 : 1;
        assertEquals((Double) grid[bestIndex].apply(classifier.learningRate()), bestRate);
        assertTrue(tuned.transform(data).where(col("prediction").equalTo(col("label"))).count() > 0);

        // Spark's own tuning writer and reader find the classifier's and the model's readers too.
        String saved = dir.resolve("cv").toString();
        tuned.write().overwrite().save(saved);
        CrossValidatorModel loaded = CrossValidatorModel.load(saved);
        assertEquals(tuned.transform(data).select("prediction").collectAsList(),
                loaded.transform(data).select("prediction").collectAsList());

        // Every fit (2 folds x 2 rates, then the best on all rows) recorded its own run and report.
        List<Path> fits;
        try (var listing = java.nio.file.Files.list(runs)) {
            fits = listing.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        assertEquals(5, fits.size(), fits.toString());
        for (Path fit : fits) {
            for (String file : List.of("config.conf", "metrics.jsonl", "summary.json", "report.html", "_SUCCESS")) {
                assertTrue(java.nio.file.Files.isRegularFile(fit.resolve(file)), fit + " has " + file);
            }
        }
        assertTrue(fits.contains(Path.of(best.runDirectory())), best.runDirectory());
        String report = java.nio.file.Files.readString(Path.of(best.runDirectory()).resolve("report.html"));
        assertTrue(report.contains("data:image/png;base64,"), "the fit's report has its plots inline");
        assertEquals(best.runDirectory(), ((EfftrainClassificationModel) loaded.bestModel()).runDirectory(),
                "the model keeps its run directory through save and load");
    }

    @Test
    void theLenetTrainsOnImageArraysAndTransforms() {
        Dataset<Row> train = FashionFrames.arrays(true, 2000);
        Dataset<Row> test = FashionFrames.arrays(false, 300);
        EfftrainClassifier classifier = new EfftrainClassifier().setModelType("lenet").setFeaturesCol("image")
                .setMaxEpochs(2).setOptimizer("adam").setLearningRate(0.002).setWorkers(2)
                .setConfigOverrides(new String[] {"model.lenet.conv1-channels=8", "model.lenet.conv2-channels=16",
                    "model.lenet.dense-units=64"});
        EfftrainClassificationModel model = classifier.fit(train);
        assertEquals(784, model.numFeatures());
        assertInstanceOf(org.deeplearning4j.nn.multilayer.MultiLayerNetwork.class, model.network());

        Dataset<Row> predicted = model.transform(test);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predicted);
        assertTrue(accuracy > 0.6, "LeNet accuracy " + accuracy + " on 300 test images");
    }

    @Test
    void aSmallVitTrainsOnImageArraysAndTransforms() {
        Dataset<Row> train = FashionFrames.arrays(true, 1000);
        Dataset<Row> test = FashionFrames.arrays(false, 300);
        EfftrainClassificationModel model = new EfftrainClassifier().setModelType("vit").setFeaturesCol("image")
                .setMaxEpochs(2).setOptimizer("adam").setLearningRate(0.002).setWorkers(2)
                .setConfigOverrides(new String[] {"model.vit.width=16", "model.vit.depth=1", "model.vit.heads=2",
                    "model.vit.mlp-units=32"})
                .fit(train);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        assertTrue(accuracy > 0.3, "ViT accuracy " + accuracy + " on 300 test images (chance is 0.1)");
    }

    @Test
    void aNetworkWrittenInTheModelLanguageTrainsOnImageArrays() {
        Dataset<Row> train = FashionFrames.arrays(true, 2000);
        Dataset<Row> test = FashionFrames.arrays(false, 300);
        EfftrainClassifier classifier = new EfftrainClassifier().setModelType("layers").setFeaturesCol("image")
                .setLayers("[{type = conv, filters = 8, kernel = 3, padding = same, activation = relu},"
                        + " {type = max-pool, size = 2}, {type = dense, units = 64, activation = relu}]")
                .setMaxEpochs(2).setOptimizer("adam").setLearningRate(0.002).setWorkers(2);
        EfftrainClassificationModel model = classifier.fit(train);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        assertTrue(accuracy > 0.6, "model-language network accuracy " + accuracy + " on 300 test images");
    }

    @Test
    void theResnetIsAComputationGraphThatTransformsAndReloads() throws Exception {
        Dataset<Row> train = FashionFrames.arrays(true, 300);
        Dataset<Row> test = FashionFrames.arrays(false, 100);
        EfftrainClassifier classifier = new EfftrainClassifier().setModelType("resnet").setFeaturesCol("image")
                .setImageShape(28, 28, 1).setMaxEpochs(0.5).setWorkers(2)
                .setConfigOverrides(new String[] {"model.resnet.stem-channels=4",
                    "model.resnet.stage-channels=[4, 8, 8]"});
        EfftrainClassificationModel model = classifier.fit(train);
        assertInstanceOf(org.deeplearning4j.nn.graph.ComputationGraph.class, model.network());

        List<Row> predicted = model.transform(test).select("prediction", "probability").collectAsList();
        assertEquals(100, predicted.size());
        String saved = dir.resolve("resnet").toString();
        model.write().overwrite().save(saved);
        List<Row> again = EfftrainClassificationModel.load(saved).transform(test).select("prediction", "probability")
                .collectAsList();
        assertEquals(predicted, again);
    }
}
