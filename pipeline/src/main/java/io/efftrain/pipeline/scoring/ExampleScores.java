package io.efftrain.pipeline.scoring;

import java.io.Serializable;

/**
 * What a scorer says about each example of a block, in block order. Higher loss, EL2N and GraNd mean harder;
 * a lower (more negative) margin means harder.
 *
 * @param loss cross-entropy of the true class
 * @param el2n L2 norm of (softmax output - one-hot label), Paul et al. 2021
 * @param grand L2 norm of the loss gradient with respect to the output layer's weights and bias (exact for that
 *     layer; the deeper layers' share is left out, which is the usual cheap approximation)
 * @param margin probability of the true class minus the largest other probability
 * @param correct whether the prediction is the true class (forgetting events are counted from this)
 */
public record ExampleScores(double[] loss, double[] el2n, double[] grand, double[] margin, boolean[] correct)
        implements Serializable {
    public int size() {
        return loss.length;
    }
}
