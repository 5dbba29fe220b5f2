package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.RegressionLoss;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The loss of a regression network (one output, no activation): squared error or Huber's loss, weighed per
 * example. Its labels have two columns, the target and the example's weight, and the output one: DL4J hands a
 * loss function the labels as they are, so the weight travels beside the target instead of in a labels mask
 * (which DL4J would also multiply into every layer's activations, right only for weights of 0 and 1). With
 * residual r = prediction - target and weight w, the loss is w r^2 (squared error) or w h(r) with
 * h(r) = c (r - c / 2), c = r clipped to [-delta, delta] (Huber: r^2 / 2 inside delta, delta (|r| - delta / 2)
 * outside), and its gradient w 2r or w c. Computed in float32 whatever the network's precision.
 */
public final class WeightableRegressionLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    // Named for DL4J's JSON mapper, which sees no getters here: workers rebuild the network from its JSON, and an
    // unnamed field would come back as the default (a Huber network training with squared error).
    @JsonProperty("kind")
    private RegressionLoss kind;
    @JsonProperty("delta")
    private double delta;

    /** For DL4J's JSON mapper. */
    private WeightableRegressionLoss() {
        this(RegressionLoss.SQUARED_ERROR, 1.0);
    }

    /**
     * @param kind squared error or Huber
     * @param delta Huber's switch from quadratic to linear (unused for squared error)
     */
    public WeightableRegressionLoss(RegressionLoss kind, double delta) {
        if (!(delta > 0)) {
            throw new IllegalArgumentException("Huber's delta must be above 0, got " + delta);
        }
        this.kind = kind;
        this.delta = delta;
    }

    public RegressionLoss kind() {
        return kind;
    }

    /** Each example's loss, unweighted, for residuals {@code prediction - target}. */
    public double loss(double residual) {
        if (kind == RegressionLoss.SQUARED_ERROR) {
            return residual * residual;
        }
        double clipped = Math.max(-delta, Math.min(delta, residual));
        return clipped * (residual - clipped / 2);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return scores(labels, preOutput, activationFn, mask).castTo(preOutput.dataType());
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray scores = scores(labels, preOutput, activationFn, mask);
        double sum = scores.sumNumber().doubleValue();
        return average ? sum / scores.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray pre = wide(preOutput);
        INDArray[] residualAndWeight = residualAndWeight(labels, pre, activationFn);
        INDArray r = residualAndWeight[0];
        INDArray dLdOut = kind == RegressionLoss.SQUARED_ERROR ? r.mul(2) : clip(r);
        dLdOut.muli(residualAndWeight[1]);
        INDArray gradient = activationFn.backprop(pre.dup(), dLdOut).getFirst();
        if (mask != null) {
            LossUtil.applyMask(gradient, wide(mask));
        }
        return gradient.castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    /** Each example's weighted loss, a column. */
    private INDArray scores(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray[] residualAndWeight = residualAndWeight(labels, wide(preOutput), activationFn);
        INDArray r = residualAndWeight[0];
        INDArray scores;
        if (kind == RegressionLoss.SQUARED_ERROR) {
            scores = r.mul(r);
        } else {
            INDArray clipped = clip(r);
            scores = clipped.mul(r.sub(clipped.div(2)));
        }
        scores.muli(residualAndWeight[1]);
        if (mask != null) {
            LossUtil.applyMask(scores, wide(mask));
        }
        return scores;
    }

    /** prediction - target and the weight, as float32 columns. */
    private static INDArray[] residualAndWeight(INDArray labels, INDArray pre, IActivation activationFn) {
        if (labels.rank() != 2 || labels.size(1) != 2 || pre.size(1) != 1) {
            throw new IllegalArgumentException("a regression loss takes labels of 2 columns (target, weight) and one "
                    + "output, got labels of shape " + java.util.Arrays.toString(labels.shape()) + " and output of "
                    + java.util.Arrays.toString(pre.shape()));
        }
        INDArray y = labels.castTo(DataType.FLOAT);
        INDArray output = activationFn.getActivation(pre.dup(), true);
        INDArray target = y.getColumn(0, true);
        INDArray weight = y.getColumn(1, true).dup();
        return new INDArray[] {output.sub(target), weight};
    }

    private INDArray clip(INDArray r) {
        return Transforms.min(Transforms.max(r, -delta, true), delta, false);
    }

    /** float16 arrays as float32; others as they are. */
    private static INDArray wide(INDArray array) {
        return array != null && array.dataType() != DataType.FLOAT ? array.castTo(DataType.FLOAT) : array;
    }

    @Override
    public String name() {
        return "WeightableRegressionLoss";
    }

    @Override
    public String toString() {
        return "WeightableRegressionLoss(" + kind + (kind == RegressionLoss.HUBER ? ", delta=" + delta : "") + ")";
    }
}
