package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link TokenPool} computed with ND4J ops. */
final class TokenPoolLayer extends DirectLayer {
    TokenPoolLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        TokenPool pool = (TokenPool) layerConf();
        return pool.isClassToken() ? input.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).dup('c')
                : input.mean(1);
    }

    @Override
    INDArray backward(INDArray outGrad) {
        TokenPool pool = (TokenPool) layerConf();
        long examples = outGrad.size(0);
        int tokens = pool.getTokens();
        int width = pool.getWidth();
        if (pool.isClassToken()) {
            INDArray dIn = Nd4j.zeros(outGrad.dataType(), examples, tokens, width);
            dIn.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all()).assign(outGrad);
            return dIn;
        }
        return outGrad.reshape(examples, 1, width).div(tokens).repeat(1, tokens);
    }
}
