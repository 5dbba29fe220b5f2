package io.efftrain.trainers.algorithms.stopping;

/** The stopping rules as pure functions of evaluation results (accuracy: higher is better). */
public final class StoppingRules {
    private StoppingRules() {
    }

    /** Whether an evaluation reached the target. */
    public static boolean targetReached(double accuracy, double target) {
        return accuracy >= target;
    }

    /**
     * Evaluations since the best so far, after one more evaluation.
     *
     * @param best the best accuracy before this evaluation (NaN if none)
     * @param sinceBest evaluations since that best
     * @param accuracy this evaluation's accuracy
     * @return 0 if this evaluation is a new best, else {@code sinceBest + 1}
     */
    public static long evaluationsSinceBest(double best, long sinceBest, double accuracy) {
        return Double.isNaN(best) || accuracy > best ? 0 : sinceBest + 1;
    }
}
