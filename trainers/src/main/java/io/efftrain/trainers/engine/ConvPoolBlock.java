package io.efftrain.trainers.engine;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J layer configuration of a convolution + ReLU + max-pool block computed as one matrix multiply per pass on
 * NHWC images ({@link ConvPoolBlockLayer}). Inputs and outputs are flat NHWC rows ({@link InputType#feedForward}),
 * so blocks chain into each other and into dense layers without DL4J reshaping anything in between.
 *
 * <p>The weights are DL4J's dense-layer parameters: a {@code kernel*kernel*channels} x {@code filters} matrix
 * (row {@code (ky*kernel + kx)*channels + c}) and a bias per filter, so weight initialisation, updaters,
 * parameter averaging and checkpoints treat the block like any other layer. Float32 on the CPU backend only:
 * the loops between the multiplies run in Java on host memory.
 */
public class ConvPoolBlock extends FeedForwardLayer {
    private int inputRows;
    private int inputColumns;
    private int inputChannels;
    private int kernel;
    private int pool;
    private boolean channelsFirst;

    /** For DL4J's JSON deserialisation of saved networks. */
    public ConvPoolBlock() {
    }

    private ConvPoolBlock(Builder builder) {
        super(builder);
        this.inputRows = builder.rows;
        this.inputColumns = builder.columns;
        this.inputChannels = builder.channels;
        this.kernel = builder.kernel;
        this.pool = builder.pool;
        this.channelsFirst = builder.channelsFirst;
        this.nIn = (long) kernel * kernel * inputChannels;
        geometry();
    }

    /** The block's shapes. */
    public ConvPoolGeometry geometry() {
        return new ConvPoolGeometry(inputRows, inputColumns, inputChannels, kernel, (int) nOut, pool);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        return FastLayers.instantiate(this, "ConvPoolBlock", "DL4J's convolution layers", ConvPoolBlockLayer::new,
                conf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
    }

    @Override
    public ParamInitializer initializer() {
        return DefaultParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        checkInput(inputType);
        return InputType.feedForward(geometry().outputSize());
    }

    /** The input size is fixed by the block's geometry; this only checks that the previous layer agrees. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        checkInput(inputType);
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    private void checkInput(InputType inputType) {
        long size = inputType.arrayElementsPerExample();
        if (size != geometry().inputSize()) {
            throw new IllegalArgumentException("ConvPoolBlock '" + getLayerName() + "' expects " + inputRows + "x"
                    + inputColumns + "x" + inputChannels + " = " + geometry().inputSize()
                    + " values per example (NHWC), but its input has " + size + " (" + inputType + ")");
        }
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        ConvPoolGeometry g = geometry();
        long params = initializer().numParams(this);
        long perExample = (long) g.patchesPerExample() * g.filters() + 2L * g.outputSize();
        return new LayerMemoryReport.Builder(layerName, ConvPoolBlock.class, inputType, getOutputType(-1, inputType))
                .standardMemory(params, getIUpdater().stateSize(params))
                .workingMemory(0, perExample, 0, perExample + g.inputSize())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Input image height. */
    public int getInputRows() {
        return inputRows;
    }

    /** For DL4J's JSON deserialisation; see {@link #getInputRows}. */
    public void setInputRows(int inputRows) {
        this.inputRows = inputRows;
    }

    /** Input image width. */
    public int getInputColumns() {
        return inputColumns;
    }

    /** For DL4J's JSON deserialisation; see {@link #getInputColumns}. */
    public void setInputColumns(int inputColumns) {
        this.inputColumns = inputColumns;
    }

    /** Input channels. */
    public int getInputChannels() {
        return inputChannels;
    }

    /** For DL4J's JSON deserialisation; see {@link #getInputChannels}. */
    public void setInputChannels(int inputChannels) {
        this.inputChannels = inputChannels;
    }

    /** Square convolution kernel side. */
    public int getKernel() {
        return kernel;
    }

    /** For DL4J's JSON deserialisation; see {@link #getKernel}. */
    public void setKernel(int kernel) {
        this.kernel = kernel;
    }

    /** Whether the input arrives channel-major (all of channel 0, then channel 1, ...) rather than NHWC. */
    public boolean isChannelsFirst() {
        return channelsFirst;
    }

    /** For DL4J's JSON deserialisation; see {@link #isChannelsFirst}. */
    public void setChannelsFirst(boolean channelsFirst) {
        this.channelsFirst = channelsFirst;
    }

    /** Square max-pool window side and stride. */
    public int getPool() {
        return pool;
    }

    /** For DL4J's JSON deserialisation; see {@link #getPool}. */
    public void setPool(int pool) {
        this.pool = pool;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConvPoolBlock block && super.equals(other) && inputRows == block.inputRows
                && inputColumns == block.inputColumns && inputChannels == block.inputChannels
                && kernel == block.kernel && pool == block.pool && channelsFirst == block.channelsFirst;
    }

    /** Keeps equality symmetric against DL4J's dense-layer configurations. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof ConvPoolBlock;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(super.hashCode(), inputRows, inputColumns, inputChannels, kernel, pool, channelsFirst);
    }

    /** Builds a block; the activation is always ReLU. */
    public static final class Builder extends FeedForwardLayer.Builder<Builder> {
        private int rows;
        private int columns;
        private int channels;
        private int kernel = 5;
        private int pool = 2;
        private boolean channelsFirst;

        /** A 5x5 kernel, 2x2 pool, NHWC input; the input size must be set. */
        public Builder() {
            activation(Activation.RELU);
        }

        /** The input image: height, width, channels. */
        public Builder input(int rows, int columns, int channels) {
            this.rows = rows;
            this.columns = columns;
            this.channels = channels;
            return this;
        }

        /** The square convolution kernel's side (stride 1, no padding). */
        public Builder kernel(int kernel) {
            this.kernel = kernel;
            return this;
        }

        /**
         * Input in channel-major order, as efftrain's canonical tables store images; the block reorders it to NHWC.
         * Only for a network's first layer: the gradient with respect to the input is not reordered back.
         */
        public Builder channelsFirst(boolean channelsFirst) {
            this.channelsFirst = channelsFirst;
            return this;
        }

        /** The square max-pool window's side, which is also its stride. */
        public Builder pool(int pool) {
            this.pool = pool;
            return this;
        }

        /** The block; its geometry is checked here. */
        @Override
        @SuppressWarnings("unchecked")
        public ConvPoolBlock build() {
            return new ConvPoolBlock(this);
        }
    }
}
