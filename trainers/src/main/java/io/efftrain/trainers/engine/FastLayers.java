package io.efftrain.trainers.engine;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the fast path's layer configurations share when DL4J builds their layers: the checks that they can run
 * here as configured, and DL4J's wiring of a layer to its listeners, index and parameter views.
 */
final class FastLayers {
    private FastLayers() {
    }

    /**
     * The runtime layer of {@code config}, made by {@code factory}, after refusing a non-CPU backend, another
     * precision than float32, and settings the fast kernels would ignore. {@code kind} names the configuration in
     * errors and {@code fallback} the DL4J layers to use instead.
     */
    static Layer instantiate(FeedForwardLayer config, String kind, String fallback,
                             BiFunction<NeuralNetConfiguration, DataType, BaseLayer<?>> factory,
                             NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        HostBuffers.requireCpuBackend(kind);
        if (networkDataType != DataType.FLOAT) {
            throw new IllegalArgumentException(kind + " computes in float32 only, not " + networkDataType + "; use "
                    + fallback + " for other precisions");
        }
        refuseWhatTheKernelsIgnore(config, kind, fallback);
        BaseLayer<?> layer = factory.apply(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = config.initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    /**
     * The kernels apply ReLU and nothing else; dropout, weight noise or another activation, set on the layer or
     * inherited from the network's defaults, would be dropped without a word.
     */
    private static void refuseWhatTheKernelsIgnore(FeedForwardLayer config, String kind, String fallback) {
        String ignored = config.getIDropout() != null ? "dropout " + config.getIDropout()
                : config.getWeightNoise() != null ? "weight noise " + config.getWeightNoise()
                : !(config.getActivationFn() instanceof ActivationReLU) ? "activation " + config.getActivationFn() : null;
        if (ignored != null) {
            throw new IllegalArgumentException(kind + " '" + config.getLayerName() + "' computes ReLU without dropout "
                    + "or weight noise, but is configured with " + ignored + "; use " + fallback
                    + " (model.kernels = dl4j) for those");
        }
    }
}
