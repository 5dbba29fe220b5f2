package io.efftrain.trainers.model.vit;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ViT layers' common base: a SameDiff layer (its forward pass defined once, its backward pass derived by
 * SameDiff) instantiated as {@link SingleGradientSameDiffLayer}, which undoes DL4J 1.0.0-M2.1's doubled gradients.
 */
public abstract class SequenceLayer extends SameDiffLayer {
    /** For the subclasses' JSON constructors. */
    protected SequenceLayer() {
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        SingleGradientSameDiffLayer layer = new SingleGradientSameDiffLayer(conf, networkDataType);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }
}
