package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link TransformerBlock} computed with ND4J ops. Every per-token map is one matrix product on [examples * tokens,
 * width] rows; the attention is two batched products over [examples * heads] (tokens x head width) matrices and a
 * row softmax.
 */
final class TransformerBlockLayer extends DirectLayer {
    private SequenceOps.Normalised norm1;
    private INDArray queries;
    private INDArray keys;
    private INDArray values;
    private INDArray attention;
    private INDArray attended;
    private SequenceOps.Normalised norm2;
    private INDArray hiddenIn;
    private INDArray hiddenTanh;
    private INDArray hidden;

    TransformerBlockLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private TransformerBlock block() {
        return (TransformerBlock) layerConf();
    }

    @Override
    INDArray forward(INDArray input, boolean training) {
        TransformerBlock block = block();
        int width = block.getWidth();
        int tokens = block.getTokens();
        int heads = block.getHeads();
        int headWidth = width / heads;
        long examples = input.size(0);
        INDArray x = rows(input, width);
        norm1 = SequenceOps.layerNorm(x, param("ln1g"), param("ln1b"));
        INDArray qkv = SequenceOps.linear(norm1.out(), param("Wqkv"), param("bqkv"))
                .reshape('c', examples, tokens, 3, heads, headWidth).permute(2, 0, 3, 1, 4).dup('c');
        long batches = examples * heads;
        queries = qkv.get(NDArrayIndex.point(0)).reshape('c', batches, tokens, headWidth).muli(1.0 / Math.sqrt(headWidth));
        keys = qkv.get(NDArrayIndex.point(1)).reshape('c', batches, tokens, headWidth);
        values = qkv.get(NDArrayIndex.point(2)).reshape('c', batches, tokens, headWidth);
        INDArray scores = Nd4j.matmul(queries, keys, false, true, false);
        attention = Nd4j.exec(new SoftMax(scores, scores, 2))[0];
        attended = Nd4j.matmul(attention, values).reshape('c', examples, heads, tokens, headWidth)
                .permute(0, 2, 1, 3).dup('c').reshape('c', examples * tokens, width);
        INDArray y = SequenceOps.linear(attended, param("Wo"), param("bo")).addi(x);
        norm2 = SequenceOps.layerNorm(y, param("ln2g"), param("ln2b"));
        hiddenIn = SequenceOps.linear(norm2.out(), param("W1"), param("b1"));
        hiddenTanh = SequenceOps.geluTanh(hiddenIn);
        hidden = SequenceOps.gelu(hiddenIn, hiddenTanh);
        INDArray out = SequenceOps.linear(hidden, param("W2"), param("b2")).addi(y);
        if (!training) {
            clearCache();
        }
        return out.reshape('c', examples, tokens, width);
    }

    @Override
    INDArray backward(INDArray outGrad) {
        TransformerBlock block = block();
        int width = block.getWidth();
        int tokens = block.getTokens();
        int heads = block.getHeads();
        int headWidth = width / heads;
        long examples = outGrad.size(0);
        INDArray dOut = outGrad.reshape('c', examples * tokens, width);
        for (INDArray g : gradTable.values()) {
            g.assign(0);
        }
        // out = y + W2 gelu(W1 LN2(y)): the MLP branch, then the residual.
        INDArray dHidden = SequenceOps.linearBackward(hidden, param("W2"), dOut, grad("W2"), grad("b2"), true);
        INDArray dHiddenIn = SequenceOps.geluBackward(hiddenIn, hiddenTanh, dHidden);
        INDArray dNorm2 = SequenceOps.linearBackward(norm2.out(), param("W1"), dHiddenIn, grad("W1"), grad("b1"),
                true);
        INDArray dY = SequenceOps.layerNormBackward(norm2, param("ln2g"), dNorm2, grad("ln2g"), grad("ln2b"))
                .addi(dOut);
        // y = x + Wo attention(LN1(x)).
        INDArray dAttended = SequenceOps.linearBackward(attended, param("Wo"), dY, grad("Wo"), grad("bo"), true);
        long batches = examples * heads;
        INDArray dHeads = dAttended.reshape('c', examples, tokens, heads, headWidth).permute(0, 2, 1, 3).dup('c')
                .reshape('c', batches, tokens, headWidth);
        INDArray dAttention = Nd4j.matmul(dHeads, values, false, true, false);
        INDArray dValues = Nd4j.matmul(attention, dHeads, true, false, false);
        // Softmax backward, row by row: dS = P * (dP - sum(dP * P)).
        INDArray p = attention.reshape('c', batches * tokens, tokens);
        INDArray dp = dAttention.reshape('c', batches * tokens, tokens);
        INDArray dScores = dp.subColumnVector(dp.mul(p).sum(1).reshape(batches * tokens, 1)).muli(p)
                .reshape('c', batches, tokens, tokens);
        // scores = (q / sqrt(head width)) k^T; the scale was applied to the stored queries.
        INDArray dQueries = Nd4j.matmul(dScores, keys).muli(1.0 / Math.sqrt(headWidth));
        INDArray dKeys = Nd4j.matmul(dScores, queries, true, false, false);
        INDArray dQkv = Nd4j.stack(0, dQueries, dKeys, dValues).reshape('c', 3, examples, heads, tokens, headWidth)
                .permute(1, 3, 0, 2, 4).dup('c').reshape('c', examples * tokens, 3L * width);
        INDArray dNorm1 = SequenceOps.linearBackward(norm1.out(), param("Wqkv"), dQkv, grad("Wqkv"), grad("bqkv"),
                true);
        INDArray dX = SequenceOps.layerNormBackward(norm1, param("ln1g"), dNorm1, grad("ln1g"), grad("ln1b"))
                .addi(dY);
        clearCache();
        return dX.reshape('c', examples, tokens, width);
    }

    private void clearCache() {
        norm1 = null;
        norm2 = null;
        queries = null;
        keys = null;
        values = null;
        attention = null;
        attended = null;
        hiddenIn = null;
        hiddenTanh = null;
        hidden = null;
    }
}
