package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.trainers.engine.HostBuffers;
import io.efftrain.trainers.network.Network;
import java.util.StringJoiner;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves a {@link ParameterState} into and out of a DL4J network. The state is float32 whatever the network's
 * precision: averaging and checkpoints stay exact, and a float16 network casts on load.
 */
public final class NetworkState {
    private static final float[] NONE = new float[0];

    private NetworkState() {
    }

    /** The network's parameters, updater state and iteration count, copied out. */
    public static ParameterState capture(Network net) {
        INDArray updaterView = net.updaterState();
        return new ParameterState(copyOut(net.params()),
                updaterView == null ? NONE : copyOut(updaterView), net.iterationCount(), layout(net));
    }

    /**
     * The network's layers by configuration class and parameter count, in order: what decides how its flat
     * parameters are laid out. Readable, because it ends up in the error of a mismatched checkpoint.
     */
    public static String layout(Network net) {
        StringJoiner layers = new StringJoiner(", ");
        for (Layer layer : net.layers()) {
            layers.add(layer.conf().getLayer().getClass().getSimpleName() + "(" + layer.numParams() + ")");
        }
        return layers.toString();
    }

    /** Refuses a state captured from a network of another layout: its values would load scrambled. */
    public static void requireSameLayout(Network net, ParameterState state) {
        String layout = layout(net);
        if (!layout.equals(state.layout())) {
            throw new EfftrainException(ExitCode.BAD_INPUT, "the saved model state was trained in the layout ["
                    + state.layout() + "] but this network is [" + layout + "]; model.kernels decides between DL4J's "
                    + "convolution layers and efftrain's fast CPU blocks (ConvPoolBlock, ReluDense): continue with "
                    + "the kernels and precision it was started with, or start a new run directory");
        }
    }

    /** Overwrites the network's parameters, updater state and iteration count. */
    public static void load(Network net, ParameterState state) {
        requireSameLayout(net, state);
        INDArray params = net.params();
        if (params.length() != state.parameters().length) {
            throw new IllegalArgumentException("the network has " + params.length() + " parameters, the state "
                    + state.parameters().length + ": they belong to different models");
        }
        copyIn(state.parameters(), params);
        INDArray updaterView = net.updaterState();
        if (updaterView != null && state.updaterState().length > 0) {
            copyIn(state.updaterState(), updaterView);
        }
        net.setIterationCount((int) state.iteration());
    }

    /**
     * Sets the learning rate of every layer's updater in place. DL4J's own setLearningRate rebuilds the updater
     * (and copies its state) on every call, which is wasted work when the rate changes every step.
     */
    public static void setLearningRate(Network net, double rate) {
        for (Layer layer : net.layers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base && base.getIUpdater() != null) {
                base.getIUpdater().setLrAndSchedule(rate, null);
            } else {
                // Layers that are not BaseLayers (the ViT's, DL4J's SameDiff layers) keep an updater per
                // parameter; DL4J's updater block reads the rate from them, so a layer missed here trains at its
                // configured rate for the whole run, whatever the schedule says.
                for (String param : layer.paramTable().keySet()) {
                    org.nd4j.linalg.learning.config.IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
                    if (updater != null) {
                        updater.setLrAndSchedule(rate, null);
                    }
                }
            }
        }
    }

    /** The learning rate every parameter's updater holds now, for a check that a schedule reaches them all. */
    static java.util.Set<Double> learningRates(Network net) {
        java.util.Set<Double> rates = new java.util.TreeSet<>();
        for (Layer layer : net.layers()) {
            for (String param : layer.paramTable().keySet()) {
                org.nd4j.linalg.learning.config.IUpdater updater = layer.conf().getLayer().getUpdaterByParam(param);
                if (updater != null && updater.hasLearningRate()) {
                    rates.add(updater.getLearningRate(0, 0));
                }
            }
        }
        return rates;
    }

    /** The number of parameters of the first {@code layers} layers: the leading part of the flat parameters. */
    public static long leadingParameters(Network net, int layers) {
        Layer[] all = net.layers();
        long count = 0;
        for (int i = 0; i < Math.min(layers, all.length); i++) {
            count += all[i].numParams();
        }
        return count;
    }

    /**
     * Copies {@code values} into {@code target}. A float32 array in host memory takes one bulk copy: going
     * through a new ND4J array costs milliseconds a round for the LeNet's 1.7 MB of parameters (allocation, then
     * element by element), which every worker pays before its first step.
     */
    private static void copyIn(float[] values, INDArray target) {
        if (values.length == target.length() && HostBuffers.inHostMemory(target)) {
            HostBuffers.write(values, 0, values.length, target);
        } else {
            target.assign(cast(Nd4j.createFromArray(values), target).reshape(target.shape()));
        }
    }

    /** The values of {@code source} as a new array, by one bulk copy where {@link #copyIn} would take one. */
    private static float[] copyOut(INDArray source) {
        if (!HostBuffers.inHostMemory(source)) {
            return source.toFloatVector();
        }
        float[] values = new float[(int) source.length()];
        HostBuffers.read(source, values, values.length);
        return values;
    }

    private static INDArray cast(INDArray values, INDArray target) {
        return values.dataType() == target.dataType() ? values : values.castTo(target.dataType());
    }
}
