package io.efftrain.trainers.algorithms.lars;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.annotation.JsonAutoDetect;

/**
 * The per-parameter half of LARS, run by DL4J for each layer parameter before the updater: the gradient g of
 * weights w becomes lambda (g + beta w), with the local learning rate lambda = eta ||w|| / (||g|| + beta ||w||)
 * (You et al., 2017, eq. 6), or 1 while ||w|| or ||g|| is zero (fresh zero biases), as common implementations do.
 * Weight decay beta lives here rather than in DL4J's L2, because LARS puts it inside the trust ratio.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE, setterVisibility = JsonAutoDetect.Visibility.NONE)
public final class LarsTrustRatio implements Regularization {
    private static final long serialVersionUID = 1L;
    private double trustCoefficient;
    private double weightDecay;

    /** For Jackson. */
    private LarsTrustRatio() {
    }

    /**
     * @param trustCoefficient eta, how far one step may move a parameter relative to its norm (0.001 in the paper)
     * @param weightDecay beta, 0 for biases
     */
    public LarsTrustRatio(double trustCoefficient, double weightDecay) {
        this.trustCoefficient = trustCoefficient;
        this.weightDecay = weightDecay;
    }

    /** The local learning rate lambda for a parameter of norm {@code weightNorm} with gradient norm {@code gradientNorm}. */
    public static double localRate(double trustCoefficient, double weightDecay, double weightNorm, double gradientNorm) {
        if (weightNorm <= 0 || gradientNorm <= 0) {
            return 1;
        }
        return trustCoefficient * weightNorm / (gradientNorm + weightDecay * weightNorm);
    }

    @Override
    public ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        double local = localRate(trustCoefficient, weightDecay, param.norm2Number().doubleValue(),
                gradView.norm2Number().doubleValue());
        if (weightDecay != 0) {
            gradView.addi(param.mul(weightDecay));
        }
        gradView.muli(local);
    }

    /** Weight decay is part of the update rule, not of the reported loss. */
    @Override
    public double score(INDArray param, int iteration, int epoch) {
        return 0;
    }

    @Override
    public LarsTrustRatio clone() {
        return new LarsTrustRatio(trustCoefficient, weightDecay);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LarsTrustRatio other && other.trustCoefficient == trustCoefficient
                && other.weightDecay == weightDecay;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(trustCoefficient) * 31 + Double.hashCode(weightDecay);
    }
}
