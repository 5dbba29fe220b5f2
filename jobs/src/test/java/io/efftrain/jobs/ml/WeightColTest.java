package io.efftrain.jobs.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.util.Locale;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * weightCol reaches the loss: for the classifier on Fashion-MNIST, a weight of 0 on every example of a class means
 * the model (nearly) never predicts it, where the unweighted model does; for the regressor on the diabetes data,
 * corrupted copies of the rows with weight 0 are ignored, where unweighted they drag the predictions up. Bad weights
 * are errors that name the column (and the row).
 */
class WeightColTest {
    @Test
    void aClassOfWeightZeroIsNeverPredicted() {
        FashionMnist.require();
        Dataset<Row> train = FashionFrames.vectors(true, 2000)
                .withColumn("w", when(col("label").equalTo(0), lit(0.0)).otherwise(lit(1.0)));
        Dataset<Row> test = FashionFrames.vectors(false, 500);
        EfftrainClassifier classifier = new EfftrainClassifier().setFeaturesCol("pixels").setHiddenLayers(
                new int[] {64}).setMaxEpochs(4).setOptimizer("adam").setLearningRate(0.002).setBatchSize(32)
                .setWorkers(2);
        double unweighted = share(classifier.fit(train).transform(test), 0);
        double weighted = share(classifier.copy(new org.apache.spark.ml.param.ParamMap()).setWeightCol("w").fit(train)
                .transform(test), 0);
        System.out.printf(Locale.ROOT, "class 0 predicted for %.3f of the test images unweighted, %.3f with its "
                + "examples weighted 0%n", unweighted, weighted);
        assertTrue(unweighted > 0.05, "the unweighted model predicts T-shirts: " + unweighted);
        assertTrue(weighted < 0.01, "a class of weight 0 is (nearly) never predicted: " + weighted);
    }

    private static double share(Dataset<Row> predicted, double label) {
        return predicted.agg(functions.avg(when(col("prediction").equalTo(label), 1.0).otherwise(0.0))).head()
                .getDouble(0);
    }

    @Test
    void corruptedRowsOfWeightZeroAreIgnoredByTheRegressor() throws Exception {
        EfftrainRegressorTest.data();
        // Every training row twice: as it is (weight 1) and with its label raised by 300 (weight 0).
        Dataset<Row> clean = EfftrainRegressorTest.train.withColumn("w", lit(1.0));
        Dataset<Row> corrupted = EfftrainRegressorTest.train
                .withColumn("progression", col("progression").plus(300)).withColumn("w", lit(0.0));
        Dataset<Row> train = clean.unionByName(corrupted);
        EfftrainRegressor regressor = EfftrainRegressorTest.regressor().setMaxEpochs(20);
        PipelineModel unweighted = EfftrainRegressorTest.pipeline(regressor).fit(train);
        PipelineModel weighted = EfftrainRegressorTest.pipeline(regressor.copy(new org.apache.spark.ml.param.ParamMap())
                .setWeightCol("w")).fit(train);
        double plain = EfftrainRegressorTest.rmse(unweighted.transform(EfftrainRegressorTest.test));
        double ignoring = EfftrainRegressorTest.rmse(weighted.transform(EfftrainRegressorTest.test));
        System.out.printf(Locale.ROOT, "diabetes test RMSE with corrupted copies: unweighted %.1f, corrupted "
                + "copies weighted 0 %.1f%n", plain, ignoring);
        assertTrue(plain > 120, "unweighted, the corrupted copies pull predictions up by about 150: " + plain);
        assertTrue(ignoring < 70, "weighted 0, the corrupted copies are ignored (LinearRegression on the clean rows: "
                + "about 60): " + ignoring);
    }

    private static String fails(Executable action, String... mentions) {
        Throwable thrown = assertThrows(Throwable.class, action);
        for (String mention : mentions) {
            assertTrue(thrown.getMessage().contains(mention), "'" + mention + "' not in: " + thrown.getMessage());
        }
        return thrown.getMessage();
    }

    @Test
    void badWeightsNameTheColumnAndRow() throws Exception {
        EfftrainRegressorTest.data();
        Dataset<Row> rows = new VectorAssembler().setInputCols(EfftrainRegressorTest.COLUMNS).setOutputCol("features")
                .transform(EfftrainRegressorTest.train).withColumn("id", functions.monotonically_increasing_id())
                .orderBy("id").limit(20).coalesce(1);
        EfftrainRegressor tiny = new EfftrainRegressor().setLabelCol("progression").setHiddenLayers(new int[] {4})
                .setMaxEpochs(1).setWorkers(1).setWeightCol("w");
        EfftrainClassifier classifier = new EfftrainClassifier().setLabelCol("sex").setHiddenLayers(new int[] {4})
                .setMaxEpochs(1).setWorkers(1).setWeightCol("w");
        Dataset<Row> sexes = rows.withColumn("sex", col("sex").minus(1));

        // Not numeric: a schema error, before any data is read.
        fails(() -> tiny.transformSchema(rows.withColumn("w", lit("heavy")).schema()), "weightCol 'w'", "string",
                "cast(\"double\")");
        fails(() -> classifier.fit(sexes.withColumn("w", lit("heavy"))), "weightCol 'w'", "string");
        fails(() -> tiny.fit(rows), "weightCol 'w'", "no such column");
        // Negative, NaN, null: a bad-input error naming the column and the row.
        Dataset<Row> indexed = rows.withColumn("n", functions.row_number().over(
                org.apache.spark.sql.expressions.Window.orderBy("id")).minus(1));
        for (String bad : new String[] {"-1.0", "NaN", "null"}) {
            Dataset<Row> data = indexed.withColumn("w", when(col("n").equalTo(5),
                    bad.equals("null") ? lit(null).cast(DataTypes.DoubleType) : lit(Double.parseDouble(bad)))
                    .otherwise(lit(1.0))).drop("n").coalesce(1);
            EfftrainException e = assertThrows(EfftrainException.class, () -> tiny.fit(data));
            assertEquals(ExitCode.BAD_INPUT, e.exitCode());
            assertTrue(e.getMessage().contains("column 'w', row 5"), e.getMessage());
            EfftrainException c = assertThrows(EfftrainException.class, () -> classifier.fit(
                    data.withColumn("sex", col("sex").minus(1))));
            assertTrue(c.getMessage().contains("column 'w', row 5"), c.getMessage());
        }
        fails(() -> tiny.fit(rows.withColumn("w", lit(0.0))), "weightCol 'w'", "every weight is 0");
    }
}
