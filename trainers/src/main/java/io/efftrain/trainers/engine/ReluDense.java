package io.efftrain.trainers.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J layer configuration of a fully connected ReLU layer on the fast CPU path ({@link ReluDenseLayer}): the
 * parameters, initialisation and updaters of DL4J's {@code DenseLayer}, computed with the three matrix multiplies
 * a training step needs. DL4J's own dense layer recomputes its forward multiply in the backward pass and
 * allocates its temporaries anew every step; in the LeNet that was a fifth of a step.
 */
public class ReluDense extends FeedForwardLayer {
    /** For DL4J's JSON deserialisation of saved networks. */
    public ReluDense() {
    }

    private ReluDense(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return FastLayers.instantiate(this, "ReluDense", "DL4J's DenseLayer", ReluDenseLayer::new, conf, listeners,
                layerIndex, layerParamsView, initializeParams, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        // Per example: the activated output and its gradient kept in Java arrays, the gradient as a matrix.
        long perExample = 3 * nOut;
        return new LayerMemoryReport.Builder(layerName, ReluDense.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, getIUpdater().stateSize(params))
                .workingMemory(0, perExample, 0, perExample + nIn)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ReluDense && super.equals(other);
    }

    /** Keeps equality symmetric against DL4J's other feed-forward layer configurations. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ReluDense;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + ReluDense.class.hashCode();
    }

    /** Builds the layer; the activation is always ReLU. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        /** A ReLU layer; nOut must be set, nIn comes from the input type. */
        public Builder() {
            activation(Activation.RELU);
        }

        @Override
        @SuppressWarnings("unchecked")
        public ReluDense build() {
            return new ReluDense(this);
        }
    }
}
