package io.efftrain.trainers.algorithms.lamb;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

/**
 * The per-parameter half of LAMB, run by DL4J for each layer parameter after {@link LambUpdater}: with lr times
 * the Adam direction u in the gradient view and the weights w, r = u + lambda w and the step becomes
 * lr ||w|| / ||r|| r (You et al., 2019, algorithm 2, phi the identity), or lr r while ||w|| or ||r|| is zero
 * (fresh zero biases). Weight decay lambda lives here, decoupled from the moments as in the paper.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class LambTrustRatio implements Regularization {
    private static final long serialVersionUID = 1L;
    private double weightDecay;

    /** For Jackson. */
    private LambTrustRatio() {
    }

    /** @param weightDecay lambda, 0 for biases */
    public LambTrustRatio(double weightDecay) {
        this.weightDecay = weightDecay;
    }

    /** The trust ratio ||w|| / ||r||, or 1 where either norm is zero. */
    public static double ratio(double weightNorm, double updateNorm) {
        return weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1;
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.POST_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        if (lr == 0) {
            gradView.assign(0);
            return;
        }
        gradView.divi(lr);
        if (weightDecay != 0) {
            gradView.addi(param.mul(weightDecay));
        }
        double trust = ratio(param.norm2Number().doubleValue(), gradView.norm2Number().doubleValue());
        gradView.muli(lr * trust);
    }

    /** Weight decay is part of the update rule, not of the reported loss. */
    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0;
    }

    @Override
    public LambTrustRatio clone() {
        return new LambTrustRatio(weightDecay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LambTrustRatio other && other.weightDecay == weightDecay;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(weightDecay);
    }
}
