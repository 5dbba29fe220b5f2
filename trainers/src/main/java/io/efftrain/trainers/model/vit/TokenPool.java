package io.efftrain.trainers.model.vit;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * [examples, tokens, width] to [examples, width]: the first token (the class token) or the mean over all
 * tokens, for the dense layers and the softmax after it.
 */
public class TokenPool extends SequenceLayer {
    private int tokens;
    private int width;
    private boolean classToken;

    /** For DL4J's JSON deserialisation. */
    protected TokenPool() {
    }

    /** Pools sequences of {@code tokens} tokens of {@code width} values. */
    public TokenPool(int tokens, int width, boolean classToken) {
        this.tokens = tokens;
        this.width = width;
        this.classToken = classToken;
    }

    @Override
    DirectLayer direct(NeuralNetConfiguration conf, DataType dataType) {
        return new TokenPoolLayer(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        return classToken ? input.get(SDIndex.all(), SDIndex.point(0), SDIndex.all()) : input.mean(1);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        // No parameters.
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return InputType.feedForward(width);
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

    /** Whether the first token is taken (otherwise the mean). */
    public boolean isClassToken() {
        return classToken;
    }

    /** For DL4J's JSON deserialisation; see {@link #isClassToken}. */
    public void setClassToken(boolean classToken) {
        this.classToken = classToken;
    }
}
