package io.efftrain.trainers.algorithms.lars;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * LARS (You, Gitman and Ginsburg, 2017) as a DL4J updater configuration: heavy-ball momentum on gradients that
 * {@link LarsTrustRatio} has already scaled by each layer parameter's trust ratio. DL4J hands a
 * {@link GradientUpdater} only the gradient of a whole block of parameters, never the weights, so the per-parameter
 * part (which needs ||w||) runs as a {@link org.nd4j.linalg.learning.regularization.Regularization} just before
 * this updater, where DL4J passes each parameter with its gradient. {@link LarsOptimizer} wires the two together;
 * this updater alone is plain momentum SGD, which is what parameters DL4J runs no regularization on (BatchNorm's
 * gamma and beta) get, at the global learning rate, as LARS setups that exclude normalisation parameters do.
 *
 * <p>The state is one momentum buffer per parameter, in DL4J's updater state view: it is captured, averaged,
 * broadcast and checkpointed like Nesterov's.
 */
public final class Lars implements IUpdater {
    private static final long serialVersionUID = 1L;
    private double learningRate;
    private double momentum;
    private ISchedule learningRateSchedule;

    /** For Jackson, which rebuilds the network configuration from JSON on the workers. */
    private Lars() {
    }

    public Lars(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    public double momentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        LarsUpdater updater = new LarsUpdater(this);
        updater.setStateViewArray(viewArray, new long[] {viewArray.length()}, 'c', initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> state, boolean initializeStateArrays) {
        LarsUpdater updater = new LarsUpdater(this);
        updater.setState(state, initializeStateArrays);
        return updater;
    }

    @Override
    public Lars clone() {
        Lars copy = new Lars(learningRate, momentum);
        copy.learningRateSchedule = learningRateSchedule == null ? null : learningRateSchedule.clone();
        return copy;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule == null ? learningRate : learningRateSchedule.valueAt(iteration, epoch);
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule schedule) {
        this.learningRate = lr;
        this.learningRateSchedule = schedule;
    }

    /** DL4J merges consecutive parameters with equal updater configurations into one block. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Lars other && other.learningRate == learningRate && other.momentum == momentum
                && Objects.equals(other.learningRateSchedule, learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, learningRateSchedule);
    }

    @Override
    public String toString() {
        return "Lars(lr=" + learningRate + ", momentum=" + momentum + ")";
    }
}
