package io.efftrain.trainers.algorithms.lamb;

import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/** Puts LAMB on a network configuration: the updater and its per-parameter trust ratio always go together. */
public final class LambOptimizer {
    private LambOptimizer() {
    }

    /**
     * Sets LAMB with {@code learningRate} on every layer; weights decay by {@code weightDecay} inside the trust
     * ratio, biases do not decay (as in the paper's BERT setup).
     */
    public static NeuralNetConfiguration.Builder configure(NeuralNetConfiguration.Builder builder,
                                                           double learningRate, double weightDecay) {
        return builder.updater(new Lamb(learningRate))
                .regularization(List.of(new LambTrustRatio(weightDecay)))
                .regularizationBias(List.of(new LambTrustRatio(0)));
    }
}
