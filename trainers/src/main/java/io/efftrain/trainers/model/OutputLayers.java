package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.ModelSettings;
import io.efftrain.pipeline.config.ModelTask;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/** The output layer every network efftrain builds ends in, by {@code model.task}. */
public final class OutputLayers {
    private OutputLayers() {
    }

    /**
     * A softmax over {@code classes} with {@link WeightableCrossEntropy}, or for regression one output with no
     * activation and {@link WeightableRegressionLoss}.
     */
    public static OutputLayer of(ModelSettings settings, int classes) {
        if (settings.task() == ModelTask.REGRESSION) {
            return new OutputLayer.Builder(new WeightableRegressionLoss(settings.regression().loss(),
                    settings.regression().huberDelta())).nOut(1).activation(Activation.IDENTITY)
                    .weightInit(WeightInit.XAVIER).build();
        }
        return new OutputLayer.Builder(new WeightableCrossEntropy()).nOut(classes).activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER).build();
    }
}
