package io.efftrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ModelTask;
import io.efftrain.pipeline.config.RegressionLoss;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The regressor's settings and schema errors, each before training, naming the param, key or column. */
class EfftrainRegressorErrorsTest {
    private static final StructType SCHEMA = new StructType().add("y", DataTypes.DoubleType, true)
            .add("features", SQLDataTypes.VectorType(), true);

    private static void fails(Class<? extends Throwable> type, Executable action, String... mentions) {
        String message = assertThrows(type, action).getMessage();
        for (String mention : mentions) {
            assertTrue(message.contains(mention), "'" + mention + "' not in: " + message);
        }
    }

    private static EfftrainRegressor tiny() {
        return new EfftrainRegressor().setLabelCol("y").setHiddenLayers(new int[] {4}).setMaxEpochs(1).setWorkers(1);
    }

    @Test
    void theTypedParamsBecomeARegressionConfig() {
        var config = tiny().setLoss("huber").setHuberDelta(0.5).trainingConfig();
        assertEquals(ModelTask.REGRESSION, config.model().task());
        assertEquals(RegressionLoss.HUBER, config.model().regression().loss());
        assertEquals(0.5, config.model().regression().huberDelta());
    }

    @Test
    void aLabelThatIsNotNumericIsNamed() {
        StructType strings = new StructType().add("y", DataTypes.StringType).add("features", SQLDataTypes.VectorType());
        fails(IllegalArgumentException.class, () -> tiny().transformSchema(strings), "labelCol 'y'", "string",
                "cast(\"double\")");
        fails(IllegalArgumentException.class, () -> tiny().setLabelCol("price").transformSchema(SCHEMA),
                "labelCol 'price'", "no such column");
    }

    @Test
    void badSettingsAreNamed() {
        fails(IllegalArgumentException.class, () -> tiny().setLoss("absolute"), "loss", "absolute");
        fails(IllegalArgumentException.class, () -> tiny().setHuberDelta(0), "huberDelta");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {
            "train.regularization.mixup-alpha=0.2"}).trainingConfig(), "mixup", "regressor");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {"model.task=classification"})
                .trainingConfig(), "model.task", "EfftrainRegressor");
        fails(EfftrainException.class, () -> tiny().setConfigOverrides(new String[] {
            "model.regression.loss=huber"}).trainingConfig(), "model.regression", "loss and huberDelta");
    }

    @Test
    void badLabelsNameTheRow() {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rows.add(RowFactory.create(i == 3 ? Double.NaN : (double) i, Vectors.dense(i, 1)));
        }
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> tiny().fit(FashionFrames.spark().createDataFrame(rows, SCHEMA).coalesce(1)));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("column 'y', row 3") && e.getMessage().contains("finite"), e.getMessage());
    }

    @Test
    void runRefusesARegressionTask() {
        fails(EfftrainException.class, () -> io.efftrain.pipeline.config.ConfigLoader.load(null,
                List.of("model.task=regression")).model().requireClassification("run"), "model.task = regression",
                "run", "EfftrainRegressor");
    }
}
