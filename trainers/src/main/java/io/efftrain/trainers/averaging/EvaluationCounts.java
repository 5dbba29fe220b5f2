package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * Correct predictions, examples and summed cross-entropy over some blocks; sums combine associatively.
 *
 * @param correct examples whose arg-max prediction equals the label
 * @param examples examples seen
 * @param lossSum summed negative log-likelihood of the true labels
 */
public record EvaluationCounts(long correct, long examples, double lossSum) implements Serializable {
    public static EvaluationCounts empty() {
        return new EvaluationCounts(0, 0, 0);
    }

    public EvaluationCounts plus(EvaluationCounts other) {
        return new EvaluationCounts(correct + other.correct, examples + other.examples, lossSum + other.lossSum);
    }

    /** Fraction of correct predictions, in [0, 1]. */
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** Mean cross-entropy. */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }
}
