package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link TokenLayerNorm} computed with ND4J ops. */
final class TokenLayerNormLayer extends DirectLayer {
    private SequenceOps.Normalised norm;

    TokenLayerNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        TokenLayerNorm n = (TokenLayerNorm) layerConf();
        SequenceOps.Normalised normed = SequenceOps.layerNorm(rows(input, n.getWidth()), param("g"), param("b"));
        norm = training ? normed : null;
        return normed.out().reshape('c', input.shape());
    }

    @Override
    INDArray backward(INDArray outGrad) {
        TokenLayerNorm n = (TokenLayerNorm) layerConf();
        grad("g").assign(0);
        grad("b").assign(0);
        INDArray dx = SequenceOps.layerNormBackward(norm, param("g"), rows(outGrad, n.getWidth()), grad("g"),
                grad("b"));
        norm = null;
        return dx.reshape('c', outGrad.shape());
    }
}
