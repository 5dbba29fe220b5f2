package io.efftrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.regression.GBTRegressor;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regressor on a real tabular set, the diabetes data of Efron et al. (442 patients, ten numeric columns, disease
 * progression after a year; test resources, see diabetes/README.md), in the pipeline a data engineer would write:
 * VectorAssembler over the ten columns, StandardScaler, the regressor. It must be as good as MLlib's
 * LinearRegression on the same split (the classic model for this set) within a stated margin, and the fitted
 * pipeline saves, loads and predicts the same.
 */
class EfftrainRegressorTest {
    static final String[] COLUMNS = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};
    /** How much worse than LinearRegression's test RMSE the network may be: 5 %. */
    static final double MARGIN = 1.05;

    @TempDir
    static Path dir;
    static Dataset<Row> train;
    static Dataset<Row> test;

    @BeforeAll
    static void data() throws IOException {
        List<String> features = lines("diabetes/diabetes_data_raw.csv.gz");
        List<String> targets = lines("diabetes/diabetes_target.csv.gz");
        assertEquals(442, features.size());
        assertEquals(442, targets.size());
        StructType schema = new StructType();
        for (String column : COLUMNS) {
            schema = schema.add(column, DataTypes.DoubleType, false);
        }
        schema = schema.add("progression", DataTypes.DoubleType, false);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < features.size(); i++) {
            String[] values = features.get(i).trim().split("\\s+");
            Object[] cells = new Object[COLUMNS.length + 1];
            for (int j = 0; j < COLUMNS.length; j++) {
                cells[j] = Double.parseDouble(values[j]);
            }
            cells[COLUMNS.length] = Double.parseDouble(targets.get(i).trim());
            rows.add(RowFactory.create(cells));
        }
        Dataset<Row>[] split = FashionFrames.spark().createDataFrame(rows, schema).randomSplit(new double[] {0.8, 0.2},
                7);
        train = split[0].cache();
        test = split[1].cache();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = EfftrainRegressorTest.class.getClassLoader().getResourceAsStream(resource);
             BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                     StandardCharsets.UTF_8))) {
            return reader.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static Pipeline pipeline(PipelineStage model) {
        return new Pipeline().setStages(new PipelineStage[] {
            new VectorAssembler().setInputCols(COLUMNS).setOutputCol("raw"),
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true), model});
    }

    static double rmse(Dataset<Row> predicted) {
        return new RegressionEvaluator().setLabelCol("progression").setMetricName("rmse").evaluate(predicted);
    }

    static EfftrainRegressor regressor() {
        return new EfftrainRegressor().setLabelCol("progression").setHiddenLayers(new int[] {32})
                .setOptimizer("adam").setLearningRate(0.003).setMaxEpochs(60).setBatchSize(16)
                .setNormalization("none").setWorkers(2).setConfigOverrides(new String[] {"train.optimizer.l2=1e-3"});
    }

    @Test
    void reachesLinearRegressionsRmseOnTheDiabetesDataAndSurvivesSaveAndLoad() throws Exception {
        double linear = rmse(pipeline(new LinearRegression().setLabelCol("progression")).fit(train).transform(test));
        double boosted = rmse(pipeline(new GBTRegressor().setLabelCol("progression").setSeed(7)).fit(train)
                .transform(test));
        PipelineModel fitted = pipeline(regressor()).fit(train);
        Dataset<Row> predicted = fitted.transform(test).cache();
        double efftrain = rmse(predicted);
        double mae = new RegressionEvaluator().setLabelCol("progression").setMetricName("mae").evaluate(predicted);
        double huber = rmse(pipeline(regressor().setLoss("huber")).fit(train).transform(test));
        EfftrainRegressionModel model = (EfftrainRegressionModel) fitted.stages()[2];
        System.out.printf(Locale.ROOT, "diabetes test RMSE (%d train, %d test rows): efftrain %.2f (MAE %.2f, "
                        + "training RMSE %.2f; Huber loss %.2f), LinearRegression %.2f, GBTRegressor %.2f%n",
                train.count(), test.count(), efftrain, mae, model.summary().trainingRmse(), huber, linear, boosted);
        assertTrue(efftrain <= linear * MARGIN, "efftrain's test RMSE " + efftrain + " is more than "
                + Math.round((MARGIN - 1) * 100) + " % above LinearRegression's " + linear);
        assertTrue(huber <= linear * MARGIN, "with Huber's loss, efftrain's test RMSE " + huber + " is more than "
                + Math.round((MARGIN - 1) * 100) + " % above LinearRegression's " + linear);
        // The label's scale came back: the predictions' mean is near the test labels' (about 150), not near 0.
        double meanPrediction = predicted.agg(org.apache.spark.sql.functions.avg("prediction")).head().getDouble(0);
        assertEquals(150, meanPrediction, 25);
        assertEquals(10, model.numFeatures());

        String saved = dir.resolve("regression-pipeline").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        assertInstanceOf(EfftrainRegressionModel.class, loaded.stages()[2]);
        assertEquals(predicted.select("prediction").collectAsList(),
                loaded.transform(test).select("prediction").collectAsList(),
                "the loaded PipelineModel predicts exactly as the fitted one");
        EfftrainRegressionModel reloaded = (EfftrainRegressionModel) loaded.stages()[2];
        assertEquals(model.labelMean(), reloaded.labelMean());
        assertEquals(model.summary(), reloaded.summary());
        predicted.unpersist();
    }

    /**
     * The data-centric methods that score examples by their loss (InfoBatch prunes low-loss examples and up-weights
     * the rest, selective backprop keeps the high-loss part of each minibatch) run on the regression loss, on top
     * of example weights.
     */
    @Test
    void infoBatchAndSelectiveBackpropRunOnTheRegressionLoss() {
        double linear = rmse(pipeline(new LinearRegression().setLabelCol("progression")).fit(train).transform(test));
        Dataset<Row> weighted = train.withColumn("w", org.apache.spark.sql.functions.lit(1.0));
        for (String method : new String[] {"sampling.infobatch.enabled=true",
            "sampling.selective-backprop.enabled=true"}) {
            EfftrainRegressor regressor = regressor().setWeightCol("w").setConfigOverrides(new String[] {
                "train.optimizer.l2=1e-3", method});
            double value = rmse(pipeline(regressor).fit(weighted).transform(test));
            System.out.printf(Locale.ROOT, "diabetes test RMSE with %s: %.2f (LinearRegression %.2f)%n", method,
                    value, linear);
            assertTrue(value <= linear * 1.15, method + ": test RMSE " + value + " against " + linear);
        }
    }

    /** modelType layers: a network in the model language on tabular features (one position of ten channels). */
    @Test
    void aLayersNetworkTrainsOnTabularFeatures() {
        EfftrainRegressor regressor = regressor().setModelType("layers").setLayers("[{type = dense, units = 32, "
                + "activation = relu}, {type = dropout, rate = 0.1}, {type = dense, units = 16, activation = relu}]");
        double value = rmse(pipeline(regressor).fit(train).transform(test));
        System.out.printf(Locale.ROOT, "diabetes test RMSE, a layers network (dense 32, dropout, dense 16): %.2f%n",
                value);
        assertTrue(value < 70, "test RMSE " + value + " (the label's standard deviation is about 77)");
    }

    /**
     * The ten numeric columns as they come, with no assembler or scaler stage: featuresCols gathers them and the
     * regressor's own standardisation scales them; it reaches the same margin against LinearRegression.
     */
    @Test
    void severalNumericColumnsTrainWithoutAnAssemblerStage() {
        double linear = rmse(pipeline(new LinearRegression().setLabelCol("progression")).fit(train).transform(test));
        EfftrainRegressionModel model = regressor().setFeaturesCols(COLUMNS).setNormalization("standardize")
                .fit(train);
        Dataset<Row> predicted = model.transform(test);
        double value = rmse(predicted);
        System.out.printf(Locale.ROOT, "diabetes test RMSE from featuresCols: %.2f (LinearRegression %.2f)%n", value,
                linear);
        assertTrue(value <= linear * MARGIN, "test RMSE " + value + " against LinearRegression's " + linear);
        assertTrue(java.util.Arrays.asList(predicted.columns()).containsAll(List.of("features", "prediction")),
                "the gathered features column is kept, as VectorAssembler keeps it");

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> regressor().setFeaturesCols(new String[] {"age", "weight"}).fit(train));
        assertTrue(missing.getMessage().contains("'weight'"), missing.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> regressor()
                .setFeaturesCols(new String[] {"age", "name"}).fit(train.withColumn("name",
                        org.apache.spark.sql.functions.lit("x"))));
        assertTrue(text.getMessage().contains("'name'") && text.getMessage().contains("string"), text.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> regressor()
                .setFeaturesCols(COLUMNS).fit(train.withColumn("features", org.apache.spark.sql.functions.lit(1.0))));
        assertTrue(clash.getMessage().contains("featuresCol 'features'"), clash.getMessage());
    }
}
