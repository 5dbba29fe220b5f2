package io.efftrain.pipeline.config;

/** The loss of a regression network ({@code model.regression.loss}). */
public enum RegressionLoss {
    /** (prediction - target)^2, the mean squared error. */
    SQUARED_ERROR,
    /**
     * Huber's loss: r^2 / 2 for a residual |r| up to {@code huber-delta}, delta (|r| - delta / 2) beyond, so an
     * outlier pulls with a bounded gradient.
     */
    HUBER
}
