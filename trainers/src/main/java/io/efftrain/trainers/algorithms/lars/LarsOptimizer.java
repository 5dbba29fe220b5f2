package io.efftrain.trainers.algorithms.lars;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/** Puts LARS on a network configuration: the updater and its per-parameter trust ratio always go together. */
public final class LarsOptimizer {
    private LarsOptimizer() {
    }

    /**
     * Sets LARS on every layer; weights decay by {@code weightDecay} inside the trust ratio, biases do not decay.
     *
     * @param trustCoefficient eta (0.001 in the paper)
     */
    public static NeuralNetConfiguration.Builder configure(NeuralNetConfiguration.Builder builder, double learningRate,
                                                           double momentum, double trustCoefficient,
                                                           double weightDecay) {
        return builder.updater(new Lars(learningRate, momentum))
                .regularization(List.of(new LarsTrustRatio(trustCoefficient, weightDecay)))
                .regularizationBias(List.of(new LarsTrustRatio(trustCoefficient, 0)));
    }
}
