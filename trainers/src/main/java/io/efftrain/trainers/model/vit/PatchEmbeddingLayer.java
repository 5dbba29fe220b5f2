package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** {@link PatchEmbedding} computed with ND4J ops: one permute of the pixels into patch rows, one product. */
final class PatchEmbeddingLayer extends DirectLayer {
    private INDArray patches;

    PatchEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        PatchEmbedding e = (PatchEmbedding) layerConf();
        int p = e.getPatch();
        long examples = input.size(0);
        long down = e.getRows() / p;
        long across = e.getColumns() / p;
        INDArray rows = input.reshape('c', examples, e.getChannels(), down, p, across, p)
                .permute(0, 2, 4, 1, 3, 5).dup('c').reshape('c', examples * down * across, (long) e.getChannels() * p * p);
        INDArray tokens = SequenceOps.linear(rows, param("W"), param("b"))
                .reshape('c', examples, down * across, e.getWidth());
        if (e.isClassToken()) {
            INDArray cls = param("cls").reshape(1, 1, e.getWidth()).repeat(0, examples);
            tokens = Nd4j.concat(1, cls, tokens);
        }
        patches = training ? rows : null;
        INDArray pos = param("pos");
        return tokens.addi(pos.broadcast(tokens.shape()));
    }

    @Override
    INDArray backward(INDArray outGrad) {
        PatchEmbedding e = (PatchEmbedding) layerConf();
        int p = e.getPatch();
        long examples = outGrad.size(0);
        long down = e.getRows() / p;
        long across = e.getColumns() / p;
        grad("pos").assign(outGrad.sum(true, 0));
        int first = e.isClassToken() ? 1 : 0;
        if (e.isClassToken()) {
            grad("cls").assign(outGrad.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all())
                    .sum(true, 0).reshape(1, 1, e.getWidth()));
        }
        INDArray dTokens = outGrad.get(NDArrayIndex.all(), NDArrayIndex.interval(first, first + down * across),
                NDArrayIndex.all()).dup('c').reshape('c', examples * down * across, e.getWidth());
        INDArray dRows = SequenceOps.linearBackward(patches, param("W"), dTokens, grad("W"), grad("b"), true);
        patches = null;
        return dRows.reshape('c', examples, down, across, e.getChannels(), p, p).permute(0, 3, 1, 4, 2, 5)
                .dup('c').reshape('c', input.shape());
    }
}
