package io.efftrain.pipeline.config;

import java.util.OptionalDouble;

/**
 * The update rule and its base hyper-parameters; the schedule scales the learning rate over the budget.
 *
 * @param type the update rule
 * @param learningRate the peak learning rate
 * @param momentum Nesterov or LARS momentum (ignored by the other rules)
 * @param l2 L2 weight decay coefficient; for LARS and LAMB the weight decay inside the trust ratio (weights only)
 * @param gradientClip clip each layer's gradient to this L2 norm, or no clipping
 * @param trustCoefficient LARS's eta: a parameter moves by about learning rate x eta x its norm per step
 */
public record OptimizerSettings(OptimizerType type, double learningRate, double momentum, double l2,
                                OptionalDouble gradientClip, double trustCoefficient) {
    static OptimizerSettings read(ConfigReader c) {
        double momentum = c.nonNegativeDouble("momentum");
        if (momentum >= 1) {
            throw c.invalid("momentum", "a number in [0, 1)", String.valueOf(momentum));
        }
        return new OptimizerSettings(c.choice("type", OptimizerType.class), c.positiveDouble("learning-rate"),
                momentum, c.nonNegativeDouble("l2"), c.optionalPositiveDouble("gradient-clip"),
                c.positiveDouble("trust-coefficient"));
    }
}
