package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * The loss of a regression network ({@code model.task = regression}).
 *
 * @param loss squared error or Huber
 * @param huberDelta where Huber's loss turns from quadratic to linear, in the units of the target the network sees
 *     (the regressor standardises targets, so there it is in standard deviations of the label)
 */
public record RegressionSettings(RegressionLoss loss, double huberDelta) implements Serializable {
    static RegressionSettings read(ConfigReader c) {
        return new RegressionSettings(c.choice("loss", RegressionLoss.class), c.positiveDouble("huber-delta"));
    }
}
