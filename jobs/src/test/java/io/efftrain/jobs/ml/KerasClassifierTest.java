package io.efftrain.jobs.ml;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.testing.FashionMnist;
import java.nio.file.Path;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The classifier with modelType keras: a Keras model file (trainers' test resource) fitted on a DataFrame. */
class KerasClassifierTest {
    @Test
    void aKerasModelFileTrainsAsTheClassifiersNetwork() {
        FashionMnist.require();
        String file = Path.of("..", "trainers", "src", "test", "resources", "keras", "mlp.h5").toAbsolutePath()
                .normalize().toString();
        Dataset<Row> train = FashionFrames.vectors(true, 2000);
        Dataset<Row> test = FashionFrames.vectors(false, 500);
        EfftrainClassificationModel model = new EfftrainClassifier().setFeaturesCol("pixels").setModelType("keras")
                .setConfigOverrides(new String[] {"model.keras=\"" + file + "\""}).setMaxEpochs(4)
                .setOptimizer("adam").setLearningRate(0.002).setBatchSize(32).setWorkers(2).fit(train);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        System.out.println("EfftrainClassifier with modelType keras (mlp.h5): test accuracy " + accuracy);
        assertTrue(accuracy > 0.7, "the imported Keras network learns inside fit: " + accuracy);
    }
}
