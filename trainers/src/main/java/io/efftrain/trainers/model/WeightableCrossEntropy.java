package io.efftrain.trainers.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * DL4J's negative log-likelihood with two changes.
 *
 * <p>The softmax gradient is written for label rows of any sum: p sum(y) - y instead of DL4J's p - y (which
 * assumes each row sums to 1). The loss -sum y log p is linear in the label row, and now so is the gradient, so
 * scaling an example's labels by w weighs its loss and gradient by exactly w: how per-example weights reach DL4J
 * (see {@link io.efftrain.trainers.averaging.TrainRound#toDataSet}). For rows that sum to 1 (one-hot, smoothed,
 * mixed) it is DL4J's loss.
 *
 * <p>In a float16 network the loss and its gradient are computed in float32, as mixed-precision training does:
 * DL4J clips probabilities to [1e-10, 1 - 1e-10], which in float16 is [0, 1], and 0 log 0 makes the loss NaN.
 */
public final class WeightableCrossEntropy extends LossNegativeLogLikelihood {
    private static final long serialVersionUID = 1L;

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        return super.computeScore(wide(labels), wide(preOutput), activationFn, wide(mask), average);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return super.computeScoreArray(wide(labels), wide(preOutput), activationFn, wide(mask))
                .castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            return super.computeGradient(wide(labels), wide(preOutput), activationFn, wide(mask))
                    .castTo(preOutput.dataType());
        }
        INDArray output = activationFn.getActivation(wide(preOutput).dup(), true);
        INDArray y = labels.castTo(output.dataType());
        INDArray gradient = output.muliColumnVector(y.sum(true, 1)).subi(y);
        if (mask != null) {
            LossUtil.applyMask(gradient, wide(mask));
        }
        return gradient.castTo(preOutput.dataType());
    }

    /** float16 arrays as float32; others as they are. */
    private static INDArray wide(INDArray array) {
        return array != null && array.dataType() == DataType.HALF ? array.castTo(DataType.FLOAT) : array;
    }

    @Override
    public String name() {
        return "WeightableCrossEntropy";
    }

    @Override
    public String toString() {
        return "WeightableCrossEntropy()";
    }
}
