package io.efftrain.trainers.averaging;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Moves a {@link ParameterState} into and out of a DL4J network. */
public final class NetworkState {
    private static final float[] NONE = new float[0];

    private NetworkState() {
    }

    /** The network's parameters, updater state and iteration count, copied out. */
    public static ParameterState capture(MultiLayerNetwork net) {
        INDArray updaterView = updaterView(net);
        return new ParameterState(net.params().toFloatVector(),
                updaterView == null ? NONE : updaterView.toFloatVector(), net.getIterationCount());
    }

    /** Overwrites the network's parameters, updater state and iteration count. */
    public static void load(MultiLayerNetwork net, ParameterState state) {
        INDArray params = net.params();
        if (params.length() != state.parameters().length) {
            throw new IllegalArgumentException("the network has " + params.length() + " parameters, the state "
                    + state.parameters().length + ": they belong to different models");
        }
        params.assign(Nd4j.createFromArray(state.parameters()).reshape(params.shape()));
        INDArray updaterView = updaterView(net);
        if (updaterView != null && state.updaterState().length > 0) {
            updaterView.assign(Nd4j.createFromArray(state.updaterState()).reshape(updaterView.shape()));
        }
        net.setIterationCount((int) state.iteration());
    }

    /**
     * Sets the learning rate of every layer's updater in place. DL4J's own setLearningRate rebuilds the updater
     * (and copies its state) on every call, which is wasted work when the rate changes every step.
     */
    public static void setLearningRate(MultiLayerNetwork net, double rate) {
        for (org.deeplearning4j.nn.api.Layer layer : net.getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base && base.getIUpdater() != null) {
                base.getIUpdater().setLrAndSchedule(rate, null);
            }
        }
    }

    /** The number of classes the network's output layer predicts. */
    public static int classes(MultiLayerNetwork net) {
        return (int) ((FeedForwardLayer) net.getOutputLayer().conf().getLayer()).getNOut();
    }

    private static INDArray updaterView(MultiLayerNetwork net) {
        Updater updater = net.getUpdater();
        return updater == null ? null : updater.getStateViewArray();
    }
}
