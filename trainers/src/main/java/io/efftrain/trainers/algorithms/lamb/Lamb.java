package io.efftrain.trainers.algorithms.lamb;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * LAMB (You et al., 2019) as a DL4J updater configuration: Adam's bias-corrected moments give the direction
 * m^/(sqrt(v^) + eps), which {@link LambTrustRatio} then turns into the step lr ||w|| / ||r|| r per layer
 * parameter, r = direction + lambda w. Parameters DL4J runs no regularization on (BatchNorm's gamma and beta
 * return none) keep the plain Adam step at lr, as LAMB setups that exclude normalisation parameters do. DL4J hands a {@link GradientUpdater} only a block's gradient, never the
 * weights, so the per-parameter half runs as a post-updater {@link org.nd4j.linalg.learning.regularization.Regularization},
 * the one DL4J hook that sees each parameter with its update. Both are needed: {@link LambOptimizer} wires them.
 *
 * <p>The state is Adam's two moments per parameter in DL4J's updater state view, so it is captured, averaged,
 * broadcast and checkpointed like Adam's; the bias correction reads DL4J's iteration count, which travels too.
 */
public final class Lamb implements IUpdater {
    private static final long serialVersionUID = 1L;
    private double learningRate;
    private double beta1;
    private double beta2;
    private double epsilon;
    private ISchedule learningRateSchedule;

    /** For Jackson, which rebuilds the network configuration from JSON on the workers. */
    private Lamb() {
    }

    public Lamb(double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** The paper's defaults: beta1 0.9, beta2 0.999, epsilon 1e-6. */
    public Lamb(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-6);
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        LambUpdater updater = new LambUpdater(this);
        updater.setStateViewArray(viewArray, new long[] {1, viewArray.length() / 2}, 'c', initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        LambUpdater updater = new LambUpdater(this);
        updater.setState(state, initializeStateArrays);
        return updater;
    }

    @Override
    public Lamb clone() {
        Lamb copy = new Lamb(learningRate, beta1, beta2, epsilon);
        copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return copy;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    /** True, so DL4J passes the learning rate to {@link LambTrustRatio}, which applies it. */
    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        this.learningRate = lr;
        this.learningRateSchedule = schedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lamb other && other.learningRate == learningRate && other.beta1 == beta1
                && other.beta2 == beta2 && other.epsilon == epsilon
                && Objects.equals(other.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, beta1, beta2, epsilon, learningRateSchedule);
    }

    @Override
    public String toString() {
        return "Lamb(lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon + ")";
    }
}
