package io.efftrain.pipeline.config;

/**
 * What a network predicts, which decides its output layer, its labels and how it is evaluated.
 */
public enum ModelTask {
    /** A softmax over the classes, trained with cross-entropy on class indices; evaluated by accuracy. */
    CLASSIFICATION,
    /**
     * One number per example, no output activation, trained with {@link RegressionSettings}' loss on real-valued
     * targets; evaluated by RMSE and MAE. Only the Spark ML regressor supplies such targets.
     */
    REGRESSION
}
