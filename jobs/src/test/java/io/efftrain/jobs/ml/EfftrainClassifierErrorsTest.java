package io.efftrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Wrong schemas, bad rows and bad settings: each fails before training (schemas before any data is read) with a
 * message that names the param, the column or the row, and what was expected.
 */
class EfftrainClassifierErrorsTest {
    private static final StructType VECTORS = new StructType().add("label", DataTypes.DoubleType, true)
            .add("features", SQLDataTypes.VectorType(), true);
    private static final StructType ARRAYS = new StructType().add("label", DataTypes.IntegerType, true)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, true), true);

    private static Dataset<Row> frame(StructType schema, Object[]... rows) {
        return FashionFrames.spark().createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), schema);
    }

    /** Eight good rows of two classes, then {@code extra}. */
    private static Dataset<Row> vectorsWith(Object[]... extra) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rows.add(new Object[] {(double) (i % 2), Vectors.dense(i, 1.0, -i)});
        }
        rows.addAll(Arrays.asList(extra));
        return frame(VECTORS, rows.toArray(new Object[0][]));
    }

    private static String fails(Class<? extends Throwable> type, Executable action, String... mentions) {
        String message = assertThrows(type, action).getMessage();
        for (String mention : mentions) {
            assertTrue(message.contains(mention), "'" + mention + "' not in: " + message);
        }
        return message;
    }

    private static EfftrainClassifier tiny() {
        return new EfftrainClassifier().setHiddenLayers(new int[] {4}).setMaxEpochs(1).setWorkers(1);
    }

    @Test
    void aMissingFeaturesColumnIsNamed() {
        fails(IllegalArgumentException.class, () -> tiny().setFeaturesCol("pixels").transformSchema(VECTORS),
                "featuresCol 'pixels'", "no such column", "label, features");
    }

    @Test
    void featuresOfTheWrongTypeAreNamed() {
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", DataTypes.StringType);
        fails(IllegalArgumentException.class, () -> tiny().fit(frame(schema, new Object[] {1.0, "a"})),
                "featuresCol 'features'", "string", "Vector", "array<float>");
        StructType ints = new StructType().add("label", DataTypes.DoubleType)
                .add("features", DataTypes.createArrayType(DataTypes.IntegerType));
        fails(IllegalArgumentException.class, () -> tiny().transformSchema(ints), "featuresCol 'features'",
                "array<int>", "cast(\"array<float>\")");
    }

    @Test
    void aLabelThatIsNotNumericIsNamed() {
        StructType schema = new StructType().add("label", DataTypes.StringType)
                .add("features", SQLDataTypes.VectorType());
        fails(IllegalArgumentException.class, () -> tiny().transformSchema(schema), "labelCol 'label'", "string",
                "StringIndexer");
        fails(IllegalArgumentException.class, () -> tiny().setLabelCol("y").transformSchema(VECTORS),
                "labelCol 'y'", "no such column");
    }

    @Test
    void anExistingOutputColumnIsRefused() {
        StructType schema = VECTORS.add("prediction", DataTypes.DoubleType);
        fails(IllegalArgumentException.class, () -> tiny().transformSchema(schema), "predictionCol 'prediction'",
                "already has a column", "setPredictionCol");
        fails(IllegalArgumentException.class, () -> tiny().setProbabilityCol("p").setRawPredictionCol("p")
                .transformSchema(VECTORS), "rawPredictionCol and probabilityCol", "'p'");
    }

    @Test
    void aNullLabelNamesTheColumnAndRow() {
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> tiny().fit(vectorsWith(new Object[] {null, Vectors.dense(1, 2, 3)})));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("column 'label', row 8 "), e.getMessage());
        assertTrue(e.getMessage().contains("is null"), e.getMessage());
    }

    @Test
    void aNaNFeatureNamesTheColumnRowAndIndex() {
        fails(EfftrainException.class, () -> tiny().fit(vectorsWith(new Object[] {1.0, Vectors.dense(1, Double.NaN, 3)})),
                "column 'features', row 8 ", "NaN at index 1");
    }

    @Test
    void labelsOutOfRangeOrNotWholeAreNamed() {
        fails(EfftrainException.class, () -> tiny().fit(vectorsWith(new Object[] {-1.0, Vectors.dense(1, 2, 3)})),
                "column 'label', row 8 ", "-1, out of range");
        fails(EfftrainException.class, () -> tiny().setNumClasses(2)
                .fit(vectorsWith(new Object[] {2.0, Vectors.dense(1, 2, 3)})),
                "column 'label', row 8 ", "0..1", "numClasses");
        fails(EfftrainException.class, () -> tiny().fit(vectorsWith(new Object[] {1.5, Vectors.dense(1, 2, 3)})),
                "column 'label', row 8 ", "1.5", "whole numbers");
        fails(EfftrainException.class, () -> tiny().fit(frame(VECTORS, new Object[] {0.0, Vectors.dense(1, 2)},
                new Object[] {0.0, Vectors.dense(3, 4)})), "labelCol 'label'", "at least two");
    }

    @Test
    void raggedArraysNameTheRow() {
        Dataset<Row> ragged = frame(ARRAYS, new Object[] {0, new Double[] {1.0, 2.0, 3.0}},
                new Object[] {1, new Double[] {1.0, 2.0, 3.0}}, new Object[] {1, new Double[] {1.0, 2.0}});
        fails(EfftrainException.class, () -> tiny().fit(ragged), "column 'features', row 2 ", "has 2 values",
                "first row has 3");
        Dataset<Row> holes = frame(ARRAYS, new Object[] {0, new Double[] {1.0, 2.0}},
                new Object[] {1, new Double[] {1.0, null}});
        fails(EfftrainException.class, () -> tiny().fit(holes), "column 'features', row 1 ", "null at index 1");
    }

    @Test
    void badParamValuesNameTheParam() {
        fails(IllegalArgumentException.class, () -> tiny().setModelType("cnn"), "modelType", "cnn");
        fails(IllegalArgumentException.class, () -> tiny().setOptimizer("adamw"), "optimizer", "adamw");
        fails(IllegalArgumentException.class, () -> tiny().setMaxEpochs(0), "maxEpochs");
        fails(IllegalArgumentException.class, () -> tiny().setHiddenLayers(new int[0]), "hiddenLayers");
        fails(EfftrainException.class, () -> tiny().setModelType("lenet").fit(vectorsWith()),
                "modelType = lenet needs images", "imageRows and imageCols");
        fails(EfftrainException.class, () -> tiny().setModelType("lenet").setImageShape(8, 8, 1).fit(vectorsWith()),
                "at least 16 x 16", "8 x 8");
    }

    @Test
    void configOverridesAreCheckedAgainstEfftrainsKeys() {
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {"train.batch-sise=128"})
                .trainingConfig(), "configOverrides", "unknown key 'train.batch-sise'", "train.batch-size");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {"train.batch-size=128"})
                .trainingConfig(), "configOverrides entry 'train.batch-size=128'", "param batchSize");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {"train.budget={epochs=2}"})
                .trainingConfig(), "train.budget.epochs", "param maxEpochs");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(
                new String[] {"train.evaluation.every-epochs=1"}).trainingConfig(),
                "train.evaluation.every-epochs", "no effect", "holds nothing out");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {"train.optimizer.momentum=x"})
                .trainingConfig(), "configOverrides", "train.optimizer.momentum");
        fails(IllegalArgumentException.class, () -> tiny().setConfigOverrides(new String[] {"no-equals-sign"}),
                "configOverrides");

        String rendered = tiny().setConfigOverrides(new String[] {"train.regularization.label-smoothing=0.1",
            "sampling.infobatch.enabled=true"}).setMaxTrainingSeconds(90).trainingConfig().render();
        assertTrue(rendered.contains("label-smoothing=0.1"), rendered);
        assertTrue(rendered.contains("wall-clock=\"90000ms\""), rendered);
    }

    @Test
    void theModelRefusesFeaturesOfAnotherLength() {
        EfftrainClassificationModel model = tiny().fit(vectorsWith());
        assertEquals(2, model.numClasses());
        Dataset<Row> wrong = frame(VECTORS, new Object[] {0.0, Vectors.dense(1, 2)});
        String message = assertThrows(Exception.class, () -> model.transform(wrong).collectAsList()).getMessage();
        assertTrue(message.contains("featuresCol 'features'") && message.contains("has 2 values where the model "
                + "expects 3"), message);
        fails(IllegalArgumentException.class, () -> model.copy(ParamMap.empty()).setFeaturesCol("x")
                .transformSchema(VECTORS), "featuresCol 'x'");

        // An output named "" is left out, as in MLlib.
        assertEquals(List.of("label", "features", "prediction"), List.of(model.copy(ParamMap.empty())
                .setProbabilityCol("").setRawPredictionCol("").transform(vectorsWith()).columns()));
    }
}
