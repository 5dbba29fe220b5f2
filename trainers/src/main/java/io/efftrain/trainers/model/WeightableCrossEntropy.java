package io.efftrain.trainers.model;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossUtil;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

/**
 * DL4J's negative log-likelihood, with the softmax gradient written for label rows of any sum: p sum(y) - y
 * instead of DL4J's p - y (which assumes each row sums to 1). The loss -sum y log p is linear in the label row,
 * and now so is the gradient, so scaling an example's labels by w weighs its loss and gradient by exactly w: how
 * per-example weights reach DL4J (see {@link io.efftrain.trainers.averaging.TrainRound#toDataSet}). For rows
 * that sum to 1 (one-hot, smoothed, mixed) it is DL4J's loss.
 */
public final class WeightableCrossEntropy extends LossNegativeLogLikelihood {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            return super.computeGradient(labels, preOutput, activationFn, mask);
        }
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        INDArray y = labels.castTo(output.dataType());
        INDArray gradient = output.muliColumnVector(y.sum(true, 1)).subi(y);
        if (mask != null) {
            LossUtil.applyMask(gradient, mask);
        }
        return gradient;
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
