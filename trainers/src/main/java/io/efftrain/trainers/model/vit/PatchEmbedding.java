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
 * A ViT's patch embedding: an image (channel-major, flat or [examples, channels, rows, columns]) cut into
 * {@code patch} x {@code patch} patches in row-major order, each projected to {@code width} values, a learned class
 * token put in front if asked for, and a learned position embedding added to every token; outputs
 * [examples, tokens, width].
 *
 * <p>The projection is the convolution with kernel and stride {@code patch}, computed as what it is when the
 * windows do not overlap: one reshape and permute of the pixels into [examples * patches, channels * patch *
 * patch] rows and one matrix product with the [channels * patch * patch, width] weights (row {@code (c * patch +
 * y) * patch + x}, a convolution kernel [width, channels, patch, patch] transposed).
 */
public class PatchEmbedding extends SequenceLayer implements ForwardFlops {
    private int channels;
    private int rows;
    private int columns;
    private int patch;
    private int width;
    private boolean classToken;

    /** For DL4J's JSON deserialisation. */
    protected PatchEmbedding() {
    }

    /** Patches of {@code patch} x {@code patch} of a {@code channels} x {@code rows} x {@code columns} image. */
    public PatchEmbedding(int channels, int rows, int columns, int patch, int width, boolean classToken) {
        if (rows % patch != 0 || columns % patch != 0) {
            throw new IllegalArgumentException("patch " + patch + " does not divide " + rows + "x" + columns);
        }
        this.channels = channels;
        this.rows = rows;
        this.columns = columns;
        this.patch = patch;
        this.width = width;
        this.classToken = classToken;
    }

    /** Tokens out: one per patch, plus the class token. */
    public int tokens() {
        return patches() + (classToken ? 1 : 0);
    }

    private int patches() {
        return (rows / patch) * (columns / patch);
    }

    @Override
    DirectLayer direct(NeuralNetConfiguration conf, DataType dataType) {
        return new PatchEmbeddingLayer(conf, dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable input, Map<String, SDVariable> params, SDVariable mask) {
        long across = columns / patch;
        long down = rows / patch;
        SDVariable pixels = input.reshape(-1, channels, down, patch, across, patch).permute(0, 2, 4, 1, 3, 5)
                .reshape(-1, (long) channels * patch * patch);
        SDVariable tokens = SequenceOps.linear(pixels, params.get("W"), params.get("b")).reshape(-1, patches(), width);
        if (classToken) {
            // The class token repeated once per example: a zeroed slice of the tokens broadcast against it, since
            // the batch size is only known when the graph runs.
            SDVariable repeated = tokens.get(SDIndex.all(), SDIndex.interval(0, 1), SDIndex.all()).mul(0)
                    .add(params.get("cls"));
            tokens = sd.concat(1, repeated, tokens);
        }
        return tokens.add(params.get("pos"));
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam("W", (long) channels * patch * patch, width);
        params.addBiasParam("b", 1, width);
        // Embeddings, not weights: kept out of L2 as the reference implementations keep them out of weight decay.
        params.addBiasParam("pos", 1, tokens(), width);
        if (classToken) {
            params.addBiasParam("cls", 1, 1, width);
        }
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        initWeights(channels * patch * patch, width, WeightInit.XAVIER_UNIFORM, params.get("W"));
        params.get("b").assign(0);
        SequenceOps.normal(params.get("pos"), SequenceOps.EMBEDDING_STD);
        if (classToken) {
            SequenceOps.normal(params.get("cls"), SequenceOps.EMBEDDING_STD);
        }
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return SequenceOps.sequence(tokens(), width);
    }

    @Override
    public double forwardFlopsPerExample() {
        return 2.0 * patches() * channels * patch * patch * width;
    }

    /** Input channels. */
    public int getChannels() {
        return channels;
    }

    /** For DL4J's JSON deserialisation; see {@link #getChannels}. */
    public void setChannels(int channels) {
        this.channels = channels;
    }

    /** Input rows. */
    public int getRows() {
        return rows;
    }

    /** For DL4J's JSON deserialisation; see {@link #getRows}. */
    public void setRows(int rows) {
        this.rows = rows;
    }

    /** Input columns. */
    public int getColumns() {
        return columns;
    }

    /** For DL4J's JSON deserialisation; see {@link #getColumns}. */
    public void setColumns(int columns) {
        this.columns = columns;
    }

    /** Side of the square patches. */
    public int getPatch() {
        return patch;
    }

    /** For DL4J's JSON deserialisation; see {@link #getPatch}. */
    public void setPatch(int patch) {
        this.patch = patch;
    }

    /** Values per token. */
    public int getWidth() {
        return width;
    }

    /** For DL4J's JSON deserialisation; see {@link #getWidth}. */
    public void setWidth(int width) {
        this.width = width;
    }

    /** Whether a learned class token comes first. */
    public boolean isClassToken() {
        return classToken;
    }

    /** For DL4J's JSON deserialisation; see {@link #isClassToken}. */
    public void setClassToken(boolean classToken) {
        this.classToken = classToken;
    }
}
