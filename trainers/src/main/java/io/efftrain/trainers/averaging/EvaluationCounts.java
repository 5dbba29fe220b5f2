package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * Correct predictions, examples and summed losses over some blocks; sums combine associatively. A classifier's
 * counts have {@code correct} and the cross-entropy; a regression network's the squared and absolute errors
 * (and {@code correct} 0).
 *
 * @param correct examples whose arg-max prediction equals the label
 * @param examples examples seen
 * @param lossSum summed negative log-likelihood of the true labels (regression: the summed loss of the network)
 * @param squaredErrorSum regression: summed (prediction - target)^2, in the units the network predicts
 * @param absoluteErrorSum regression: summed |prediction - target|
 */
public record EvaluationCounts(long correct, long examples, double lossSum, double squaredErrorSum,
                               double absoluteErrorSum) implements Serializable {
    /** A classifier's counts. */
    public EvaluationCounts(long correct, long examples, double lossSum) {
        this(correct, examples, lossSum, 0, 0);
    }

    public static EvaluationCounts empty() {
        return new EvaluationCounts(0, 0, 0);
    }

    public EvaluationCounts plus(EvaluationCounts other) {
        return new EvaluationCounts(correct + other.correct, examples + other.examples, lossSum + other.lossSum,
                squaredErrorSum + other.squaredErrorSum, absoluteErrorSum + other.absoluteErrorSum);
    }

    /** Fraction of correct predictions, in [0, 1]. */
    public double accuracy() {
        return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** Mean cross-entropy (regression: the mean loss). */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    /** Regression: the root of the mean squared error. */
    public double rmse() {
        return examples == 0 ? Double.NaN : Math.sqrt(squaredErrorSum / examples);
    }

    /** Regression: the mean absolute error. */
    public double mae() {
        return examples == 0 ? Double.NaN : absoluteErrorSum / examples;
    }
}
