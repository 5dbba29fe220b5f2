package io.efftrain.trainers.model.vit;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * The ViT layers' common base. Each layer is defined twice: as a SameDiff graph ({@code defineLayer}, its
 * backward pass derived by SameDiff) and directly in ND4J ops ({@link DirectLayer}, both passes written out).
 * Networks run the direct one, several times faster (see {@link DirectLayer}); the SameDiff one is the reference
 * the tests hold it to, instantiated as {@link SingleGradientSameDiffLayer}, which undoes DL4J 1.0.0-M2.1's doubled
 * SameDiff gradients.
 */
public abstract class SequenceLayer extends org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer {
    @JsonIgnore
    private boolean sameDiffReference;

    /** For the subclasses' JSON constructors. */
    protected SequenceLayer() {
    }

    /** The direct implementation of this layer. */
    abstract DirectLayer direct(NeuralNetConfiguration conf, DataType dataType);

    /** Run the SameDiff definition instead (for the tests that compare the two). */
    SequenceLayer sameDiffReference() {
        sameDiffReference = true;
        return this;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        SameDiffLayer layer = sameDiffReference ? new SingleGradientSameDiffLayer(conf, networkDataType)
                : direct(conf, networkDataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }
}
