package io.efftrain.trainers.model.vit;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Layer normalisation (Ba et al. 2016) over each token's {@code width} values of [examples, tokens, width], or
 * over the values of [examples, width] vectors ({@code tokens} 0), with a learned gain and bias per value.
 */
public class TokenLayerNorm extends SequenceLayer implements ForwardFlops {
    private int tokens;
    private int width;

    /** For DL4J's JSON deserialisation. */
    protected TokenLayerNorm() {
    }

    /** LayerNorm of sequences of {@code tokens} tokens (0: of vectors) of {@code width} values. */
    public TokenLayerNorm(int tokens, int width) {
        this.tokens = tokens;
        this.width = width;
    }

    @Override
    DirectLayer direct(NeuralNetConfiguration conf, DataType dataType) {
        return new TokenLayerNormLayer(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable normed = SequenceOps.layerNorm(sd, input.reshape(-1, width), params.get("g"), params.get("b"));
        return tokens == 0 ? normed : normed.reshape(-1, tokens, width);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addBiasParam("g", 1, width);
        params.addBiasParam("b", 1, width);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get("g").assign(1);
        params.get("b").assign(0);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return tokens == 0 ? InputType.feedForward(width) : SequenceOps.sequence(tokens, width);
    }

    @Override
    public double forwardFlopsPerExample() {
        return 0;
    }

    /** Tokens per sequence, 0 for vectors. */
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
}
