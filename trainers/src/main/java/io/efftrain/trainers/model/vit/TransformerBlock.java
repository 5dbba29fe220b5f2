package io.efftrain.trainers.model.vit;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A pre-norm transformer encoder block on [examples, tokens, width] (Vaswani et al. 2017, in the pre-norm form of
 * ViT): {@code x + attention(LayerNorm(x))}, then {@code y + mlp(LayerNorm(y))}. The attention is multi-head
 * scaled dot-product self-attention (queries, keys and values from one [width, 3 width] projection, split into
 * {@code heads} heads of width / heads values, softmax over the keys, an output projection); the MLP is a
 * {@code mlpUnits}-unit hidden layer with GELU and a projection back to {@code width}. No dropout.
 *
 * <p>The GELU is its tanh form, {@code 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))} (JAX's default, which the
 * ViT paper's code used; PyTorch's {@code GELU(approximate='tanh')}). DL4J's {@code Activation.GELU} is the
 * sigmoid form {@code x sigmoid(1.702 x)} and ND4J's {@code precise_gelu} neither (0.079 off at x = -2).
 */
public class TransformerBlock extends SequenceLayer implements ForwardFlops {
    private int tokens;
    private int width;
    private int heads;
    private int mlpUnits;

    /** For DL4J's JSON deserialisation. */
    protected TransformerBlock() {
    }

    /** A block on sequences of {@code tokens} tokens of {@code width} values. */
    public TransformerBlock(int tokens, int width, int heads, int mlpUnits) {
        if (width % heads != 0) {
            throw new IllegalArgumentException(heads + " heads do not divide width " + width);
        }
        this.tokens = tokens;
        this.width = width;
        this.heads = heads;
        this.mlpUnits = mlpUnits;
    }

    @Override
    DirectLayer direct(NeuralNetConfiguration conf, DataType dataType) {
        return new TransformerBlockLayer(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        int headWidth = width / heads;
        // Every per-token step works on [examples * tokens, width] rows: each linear map is one matrix product.
        SDVariable x = input.reshape(-1, width);
        SDVariable normed = SequenceOps.layerNorm(sd, x, params.get("ln1g"), params.get("ln1b"));
        SDVariable qkv = SequenceOps.linear(normed, params.get("Wqkv"), params.get("bqkv"))
                .reshape(-1, tokens, 3, heads, headWidth).permute(2, 0, 3, 1, 4);
        SDVariable queries = qkv.get(SDIndex.point(0)).mul(1.0 / Math.sqrt(headWidth));
        SDVariable keys = qkv.get(SDIndex.point(1));
        SDVariable values = qkv.get(SDIndex.point(2));
        // [examples, heads, tokens, tokens]: batched products over examples and heads.
        SDVariable weights = sd.nn.softmax(sd.mmul(queries, keys, false, true, false), 3);
        SDVariable attended = sd.mmul(weights, values).permute(0, 2, 1, 3).reshape(-1, width);
        SDVariable y = x.add(SequenceOps.linear(attended, params.get("Wo"), params.get("bo")));
        SDVariable hidden = SequenceOps.gelu(sd, SequenceOps.linear(
                SequenceOps.layerNorm(sd, y, params.get("ln2g"), params.get("ln2b")), params.get("W1"),
                params.get("b1")));
        SDVariable out = y.add(SequenceOps.linear(hidden, params.get("W2"), params.get("b2")));
        return out.reshape(-1, tokens, width);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addBiasParam("ln1g", 1, width);
        params.addBiasParam("ln1b", 1, width);
        params.addWeightParam("Wqkv", width, 3L * width);
        params.addBiasParam("bqkv", 1, 3L * width);
        params.addWeightParam("Wo", width, width);
        params.addBiasParam("bo", 1, width);
        params.addBiasParam("ln2g", 1, width);
        params.addBiasParam("ln2b", 1, width);
        params.addWeightParam("W1", width, mlpUnits);
        params.addBiasParam("b1", 1, mlpUnits);
        params.addWeightParam("W2", mlpUnits, width);
        params.addBiasParam("b2", 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.values().forEach(p -> p.assign(0));
        params.get("ln1g").assign(1);
        params.get("ln2g").assign(1);
        // Queries, keys and values as one width x 3 width map, as PyTorch's MultiheadAttention initialises them.
        initWeights(width, 3 * width, WeightInit.XAVIER_UNIFORM, params.get("Wqkv"));
        initWeights(width, width, WeightInit.XAVIER_UNIFORM, params.get("Wo"));
        initWeights(width, mlpUnits, WeightInit.XAVIER_UNIFORM, params.get("W1"));
        initWeights(mlpUnits, width, WeightInit.XAVIER_UNIFORM, params.get("W2"));
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return SequenceOps.sequence(tokens, width);
    }

    @Override
    public double forwardFlopsPerExample() {
        double perToken = 3.0 * width * width + (double) width * width + 2.0 * width * mlpUnits;
        // Scores and the weighted sum: tokens x tokens x width multiply-adds each, over all heads together.
        double attention = 2.0 * tokens * tokens * width;
        return 2.0 * (tokens * perToken + attention);
    }

    /** Tokens per sequence. */
    public int getTokens() {
        return tokens;
    }

    /** For DL4J's JSON deserialisation; see {@link #getTokens}. */
    public void setTokens(int tokens) {
        this.tokens = tokens;
    }

    /** Values per token. */
    public int getWidth() {
        return width;
    }

    /** For DL4J's JSON deserialisation; see {@link #getWidth}. */
    public void setWidth(int width) {
        this.width = width;
    }

    /** Attention heads. */
    public int getHeads() {
        return heads;
    }

    /** For DL4J's JSON deserialisation; see {@link #getHeads}. */
    public void setHeads(int heads) {
        this.heads = heads;
    }

    /** Hidden units of the MLP. */
    public int getMlpUnits() {
        return mlpUnits;
    }

    /** For DL4J's JSON deserialisation; see {@link #getMlpUnits}. */
    public void setMlpUnits(int mlpUnits) {
        this.mlpUnits = mlpUnits;
    }
}
