package io.efftrain.trainers.engine;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer.Type;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runtime side of {@link ConvPoolBlock}. Forward: im2col, one multiply by the weights (expanded over the
 * pooling window when a patch row covers one, see {@link ConvPoolGeometry#patchPerPoolWindow}), max-pool, bias,
 * ReLU ({@link ConvPoolKernels}). Backward: ReLU gate, unpooling, one multiply for the weight gradient and,
 * unless this is the network's first layer, one for the patch gradient and col2im. The LeNet's first block on
 * 28 x 28 images skips the multiplies where the JVM runs the Vector API: {@link DirectFirstBlock} convolves in
 * registers (the same numbers up to the order of sums).
 *
 * <p>Why not DL4J's ConvolutionLayer and SubsamplingLayer: on the CPU backend their libnd4j kernels spend most of
 * a LeNet step in pooling and in the convolution backward pass, far from the machine's matrix-multiply speed
 * (docs/experiments/fast-cpu-training.md); here nearly all arithmetic is in the multiplies. Examples go through
 * in chunks, so the patch matrix stays small for large inference batches. The forward pass of a training batch
 * that fits one chunk keeps its patches and outputs for the backward pass, which DL4J runs right after it on the
 * same input; larger batches recompute them chunk by chunk.
 */
public class ConvPoolBlockLayer extends BaseLayer<ConvPoolBlock> {
    /** Examples per patch matrix: large batches still multiply efficiently, memory stays at tens of MB. */
    static final int CHUNK = 256;
    /**
     * Patch values built (or taken apart) in Java at a time: 256 KB, so a piece stays in the core's cache between
     * the loop that fills it and the bulk copy into the multiply's input (measured at batch 128: building the
     * whole patch matrix in Java first cost 2.2 ms for the first block's im2col alone, most of it cache misses).
     */
    static final int PIECE_VALUES = 1 << 16;

    /**
     * About how many values of each window block the pooling loops take at a time (a whole number of positions,
     * so a strip starts at filter 0): the strips of all window blocks, of the maxima, the pooled output and the
     * gradient then stay in the core's first-level and second-level caches between the split of product rows,
     * pooling and unpooling, instead of going through per-window copies of the whole chunk (a LeNet batch's
     * blocks are 0.4 to 1.5 MB each).
     */
    static final int STRIP_VALUES = 2048;

    /** Positions per strip of the bias-gradient sums: 1,280 values in the LeNet's first block, 3,200 in its second. */
    private static final int SUM_STRIP_POSITIONS = 64;

    private transient Workspace work;
    private transient INDArray forwardInput;

    /** The layer of {@code conf}'s {@link ConvPoolBlock}; DL4J's constructor signature for layer instances. */
    public ConvPoolBlockLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        ConvPoolGeometry g = layerConf().geometry();
        if (input.rank() != 2 || input.size(1) != g.inputSize()) {
            throw new IllegalArgumentException(layerId() + ": expected input of shape [examples, " + g.inputSize()
                    + "] (NHWC " + g.rows() + "x" + g.columns() + "x" + g.channels() + "), got "
                    + Arrays.toString(input.shape()));
        }
        int examples = HostBuffers.examples(input, Math.max(g.inputSize(), g.outputSize()), layerId());
        Workspace w = workspace(g, examples);
        readInput(w, g, examples);
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[] {examples, g.outputSize()}, 'c');
        INDArray weights = null;
        if (w.direct) {
            readDirectParameters(w, g);
        } else {
            tileBias(w, g);
            weights = multiplyWeights(w, g);
        }
        for (int first = 0; first < examples; first += CHUNK) {
            int count = Math.min(CHUNK, examples - first);
            if (w.direct) {
                DirectFirstBlock.forward(g, w.input, first, first + count, w.kMajorWeights, w.paddedBias, w.pooled,
                        w.window);
            } else {
                forwardChunk(w, g, weights, first, count);
            }
            HostBuffers.write(w.pooled, (long) first * g.outputSize(), count * g.outputSize(), output);
        }
        forwardInput = training && examples <= CHUNK ? input : null;
        return output;
    }

    /**
     * The weights the patch matrix is multiplied by: the layer's own, or their expansion over the pooling window
     * when a patch row covers one (built from the current weights once per pass: a few thousand values).
     */
    private INDArray multiplyWeights(Workspace w, ConvPoolGeometry g) {
        INDArray weights = getParam(DefaultParamInitializer.WEIGHT_KEY);
        if (!g.patchPerPoolWindow()) {
            return weights;
        }
        HostBuffers.read(weights.transpose(), w.weightsByFilter, w.weightsByFilter.length);
        ConvPoolKernels.expandWeights(w.weightsByFilter, g, w.expandedWeights);
        HostBuffers.write(w.expandedWeights, 0, w.expandedWeights.length, w.expandedWeightMatrix);
        return w.expandedWeightMatrix;
    }

    /** The weights k-major (all filters of one kernel offset side by side) and the bias, for the direct kernel. */
    private void readDirectParameters(Workspace w, ConvPoolGeometry g) {
        HostBuffers.read(getParam(DefaultParamInitializer.WEIGHT_KEY).transpose(), w.weightsByFilter,
                w.weightsByFilter.length);
        transpose(w.weightsByFilter, g.filters(), g.patchSize(), w.kMajorWeights);
        HostBuffers.read(getParam(DefaultParamInitializer.BIAS_KEY), w.paddedBias, g.filters());
    }

    /** {@code target[c * rows + r] = source[r * columns + c]}. */
    private static void transpose(float[] source, int rows, int columns, float[] target) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                target[c * rows + r] = source[r * columns + c];
            }
        }
    }

    /**
     * The backward pass through {@link DirectFirstBlock}: weight and bias gradients only (the block is the
     * network's first layer), from the window positions its forward pass kept.
     */
    private Pair<Gradient, INDArray> directBackprop(INDArray epsilon, Workspace w, ConvPoolGeometry g, int examples,
                                                    boolean reuseForward) {
        if (!reuseForward) {
            readInput(w, g, examples);
            readDirectParameters(w, g);
        }
        Arrays.fill(w.kMajorGradient, 0f);
        float[] biasGradient = new float[g.filters()];
        for (int first = 0; first < examples; first += CHUNK) {
            int count = Math.min(CHUNK, examples - first);
            if (!reuseForward) {
                DirectFirstBlock.forward(g, w.input, first, first + count, w.kMajorWeights, w.paddedBias, w.pooled,
                        w.window);
            }
            int block = count * g.outputSize();
            HostBuffers.read(epsilon, (long) first * g.outputSize(), w.gradient, block);
            ConvPoolKernels.reluGate(w.pooled, w.gradient, block);
            DirectFirstBlock.backward(g, w.input, first, first + count, w.gradient, w.window, w.kMajorGradient,
                    biasGradient);
        }
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        transpose(w.kMajorGradient, g.patchSize(), g.filters(), w.weightsByFilter);
        HostBuffers.write(w.weightsByFilter, 0, w.weightsByFilter.length, weightGradient.transpose());
        return new Pair<>(gradient(weightGradient, biasGradient), null);
    }

    /** The layer's gradient: {@code weightGradient} (already in its view) and the bias sums written to theirs. */
    private Gradient gradient(INDArray weightGradient, float[] biasGradient) {
        INDArray biasView = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
        HostBuffers.write(biasGradient, 0, biasGradient.length, biasView);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGradient);
        gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasView);
        return gradient;
    }

    /**
     * The bias repeated over a strip of pooled outputs, so adding it is one pass over a strip (strips start at
     * filter 0, so one tile serves them all).
     */
    private void tileBias(Workspace w, ConvPoolGeometry g) {
        float[] bias = new float[g.filters()];
        HostBuffers.read(getParam(DefaultParamInitializer.BIAS_KEY), bias, g.filters());
        ConvPoolKernels.tile(bias, w.biasStrip, w.biasStrip.length);
    }

    /** The input as NHWC rows in {@code w.input}, reordered from channel-major if so configured. */
    private void readInput(Workspace w, ConvPoolGeometry g, int examples) {
        if (!layerConf().isChannelsFirst() || g.channels() == 1) {
            HostBuffers.read(input, w.input, examples * g.inputSize());
            return;
        }
        if (getIndex() > 0) {
            throw new IllegalStateException(layerId() + ": channel-major input is only supported in the first layer");
        }
        HostBuffers.read(input, w.inputGradient, examples * g.inputSize());
        ConvPoolKernels.channelsLast(w.inputGradient, examples, g, w.input);
    }

    /** Forward pass of one chunk, leaving patches, product, pooling maxima and pooled output in the workspace. */
    private void forwardChunk(Workspace w, ConvPoolGeometry g, INDArray weights, int first, int count) {
        int rows = count * g.patchMatrixRowsPerExample();
        int block = count * g.outputSize();
        INDArray patches = HostBuffers.leadingRows(w.patchMatrix, rows);
        INDArray conv = HostBuffers.leadingRows(w.convMatrix, rows);
        forEachPiece(w, g, first, count, (window, from, to, offset, length) -> {
            ConvPoolKernels.im2col(w.input, window, from, to, g, w.piece);
            HostBuffers.write(w.piece, offset, length, patches);
        });
        Nd4j.gemm(patches, weights, conv, false, false, 1.0, 0.0);
        FloatBuffer product = HostBuffers.values(conv);
        for (int start = 0; start < block; start += w.stripValues) {
            int length = Math.min(w.stripValues, block - start);
            readStrip(g, product, block, start, length, w.stripBlocks, w.rowScratch);
            // Into strip-sized arrays first: the kernels index all their arrays alike (see ConvPoolKernels).
            ConvPoolKernels.maxPool(w.stripBlocks, length, w.stripMax);
            ConvPoolKernels.biasRelu(w.stripMax, w.biasStrip, w.stripPooled, length);
            System.arraycopy(w.stripMax, 0, w.max, start, length);
            System.arraycopy(w.stripPooled, 0, w.pooled, start, length);
        }
    }

    /**
     * Values {@code [start, start + length)} of each window block of a chunk's product (blocks of {@code block}
     * values) into {@code blocks} from position 0: runs of each product row for a row per pooling window, a range
     * of each block's rows for a row per convolution output.
     */
    private static void readStrip(ConvPoolGeometry g, FloatBuffer product, int block, int start, int length,
                                  float[][] blocks, float[] scratch) {
        if (g.patchPerPoolWindow()) {
            HostBuffers.splitColumns(product, start / g.filters(), length / g.filters(), g.filters(), blocks, scratch);
            return;
        }
        for (int window = 0; window < blocks.length; window++) {
            product.get(window * block + start, blocks[window], 0, length);
        }
    }

    /** The inverse of {@link #readStrip}: {@code blocks}' first {@code length} values into the product. */
    private static void writeStrip(ConvPoolGeometry g, float[][] blocks, int block, int start, int length,
                                   FloatBuffer product, float[] scratch) {
        if (g.patchPerPoolWindow()) {
            HostBuffers.joinColumns(blocks, start / g.filters(), length / g.filters(), g.filters(), product, scratch);
            return;
        }
        for (int window = 0; window < blocks.length; window++) {
            product.put(window * block + start, blocks[window], 0, length);
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        ConvPoolGeometry g = layerConf().geometry();
        int examples = HostBuffers.examples(input, Math.max(g.inputSize(), g.outputSize()), layerId());
        boolean reuseForward = forwardInput == input;
        forwardInput = null;
        Workspace w = workspace(g, examples);
        if (w.direct) {
            return directBackprop(epsilon, w, g, examples, reuseForward);
        }
        if (!reuseForward) {
            // The recomputed forward pass must not depend on what an earlier batch left in the workspace.
            readInput(w, g, examples);
            tileBias(w, g);
        }
        float[] biasGradient = new float[g.filters()];
        boolean inputGradient = getIndex() > 0;
        if (inputGradient) {
            Arrays.fill(w.inputGradient, 0, examples * g.inputSize(), 0f);
        }
        // Needed to recompute the forward pass or for the patch gradient; the first block reusing its forward pass
        // needs neither.
        INDArray weights = !reuseForward || inputGradient ? multiplyWeights(w, g) : null;
        INDArray weightGradient = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        // Written as (G^T P)^T into the transposed view of the (column-major) gradient: the same numbers, and
        // 1.6x faster on this backend than writing the column-major result directly.
        INDArray productGradient = g.patchPerPoolWindow() ? w.expandedWeightGradient : weightGradient.transpose();
        for (int first = 0; first < examples; first += CHUNK) {
            int count = Math.min(CHUNK, examples - first);
            if (!reuseForward) {
                forwardChunk(w, g, weights, first, count);
            }
            int rows = count * g.patchMatrixRowsPerExample();
            int block = count * g.outputSize();
            HostBuffers.read(epsilon, (long) first * g.outputSize(), w.gradient, block);
            ConvPoolKernels.reluGate(w.pooled, w.gradient, block);
            w.channelSums.addTo(w.gradient, block, biasGradient);
            INDArray convGradient = HostBuffers.leadingRows(w.convGradientMatrix, rows);
            unpoolChunk(w, g, HostBuffers.values(HostBuffers.leadingRows(w.convMatrix, rows)), block,
                    HostBuffers.values(convGradient));
            INDArray patches = HostBuffers.leadingRows(w.patchMatrix, rows);
            Nd4j.gemm(convGradient, patches, productGradient, true, false, 1.0, first == 0 ? 0.0 : 1.0);
            if (inputGradient) {
                INDArray patchGradient = HostBuffers.leadingRows(w.patchGradientMatrix, rows);
                Nd4j.gemm(convGradient, weights, patchGradient, false, true, 1.0, 0.0);
                forEachPiece(w, g, first, count, (window, from, to, offset, length) -> {
                    HostBuffers.read(patchGradient, offset, w.piece, length);
                    ConvPoolKernels.col2im(w.piece, window, from, to, g, w.inputGradient, w.pieceScratch);
                });
            }
        }
        if (g.patchPerPoolWindow()) {
            HostBuffers.read(productGradient, w.expandedGradient, w.expandedGradient.length);
            ConvPoolKernels.foldWeightGradient(w.expandedGradient, g, w.weightsByFilter);
            HostBuffers.write(w.weightsByFilter, 0, w.weightsByFilter.length, weightGradient.transpose());
        }
        Gradient gradient = gradient(weightGradient, biasGradient);
        if (!inputGradient) {
            return new Pair<>(gradient, null);
        }
        INDArray next = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[] {examples, g.inputSize()}, 'c');
        HostBuffers.write(w.inputGradient, 0, examples * g.inputSize(), next);
        return new Pair<>(gradient, next);
    }

    /**
     * Sends the chunk's gradient ({@code w.gradient}) back through max-pooling into the product's gradient, strip by
     * strip: each strip's window blocks come again from the forward pass's product, which the workspace still
     * holds, rather than from copies of the whole chunk kept since then.
     */
    private static void unpoolChunk(Workspace w, ConvPoolGeometry g, FloatBuffer product, int block,
                                    FloatBuffer productGradient) {
        for (int start = 0; start < block; start += w.stripValues) {
            int length = Math.min(w.stripValues, block - start);
            readStrip(g, product, block, start, length, w.stripBlocks, w.rowScratch);
            System.arraycopy(w.max, start, w.stripMax, 0, length);
            System.arraycopy(w.gradient, start, w.stripGradient, 0, length);
            ConvPoolKernels.unpool(w.stripBlocks, w.stripMax, w.stripGradient, length, w.stripGradientBlocks);
            writeStrip(g, w.stripGradientBlocks, block, start, length, productGradient, w.rowScratch);
        }
    }

    @Override
    public void clear() {
        super.clear();
        forwardInput = null;
    }

    /** One piece of a chunk's patch matrix: the rows of window position {@code window} for examples [from, to). */
    private interface PieceAction {
        /** {@code offset} and {@code length}: where the piece's values lie in the chunk's patch matrix. */
        void apply(int window, int from, int to, long offset, int length);
    }

    /**
     * Runs {@code action} on each piece of the patch matrix of examples {@code [first, first + count)}: per
     * window offset, as many examples as fit {@link #PIECE_VALUES} (the row order of {@link ConvPoolKernels}).
     */
    private static void forEachPiece(Workspace w, ConvPoolGeometry g, int first, int count, PieceAction action) {
        for (int window = 0; window < g.windowOffsets(); window++) {
            for (int from = first; from < first + count; from += w.examplesPerPiece) {
                int to = Math.min(from + w.examplesPerPiece, first + count);
                long row = ((long) window * count + from - first) * g.pooledRows() * g.pooledColumns();
                action.apply(window, from, to, row * g.patchMatrixColumns(), (to - from) * w.pieceValuesPerExample);
            }
        }
    }

    private Workspace workspace(ConvPoolGeometry g, int examples) {
        if (work == null || work.examples < examples) {
            // The direct kernel computes no input gradient, so only the first layer can take it.
            boolean direct = getIndex() == 0 && g.fitsDirectFirstBlock() && VectorKernels.AVAILABLE;
            work = new Workspace(g, examples, direct);
        }
        return work;
    }

    /** The arrays one block reuses from minibatch to minibatch, sized for the largest batch seen so far. */
    private static final class Workspace {
        final int examples;
        final float[] input;
        final float[] inputGradient;
        final int examplesPerPiece;
        final int pieceValuesPerExample;
        final float[] piece;
        final float[] pieceScratch;
        final int stripValues;
        final float[] biasStrip;
        final float[][] stripBlocks;
        final float[][] stripGradientBlocks;
        final float[] stripMax;
        final float[] stripPooled;
        final float[] stripGradient;
        final float[] rowScratch;
        final float[] pooled;
        final float[] gradient;
        final float[] max;
        final float[] weightsByFilter;
        final float[] expandedWeights;
        final float[] expandedGradient;
        final ChannelSums channelSums;
        final INDArray patchMatrix;
        final INDArray convMatrix;
        final INDArray convGradientMatrix;
        final INDArray patchGradientMatrix;
        final INDArray expandedWeightMatrix;
        final INDArray expandedWeightGradient;
        /** Whether {@link DirectFirstBlock} computes this block (then its arrays below are in use). */
        final boolean direct;
        final float[] window;
        final float[] kMajorWeights;
        final float[] kMajorGradient;
        final float[] paddedBias;

        Workspace(ConvPoolGeometry g, int examples, boolean direct) {
            this.examples = examples;
            this.direct = direct;
            int chunk = Math.min(examples, CHUNK);
            int chunkRows = chunk * g.patchMatrixRowsPerExample();
            int block = chunk * g.outputSize();
            int windows = g.pool() * g.pool();
            // The matrix-multiply route's arrays, which the direct kernel does without (the four chunk matrices
            // alone are ~17 MB off the heap for the LeNet's first block at batch 128).
            boolean multiplies = !direct;
            input = new float[examples * g.inputSize()];
            inputGradient = new float[multiplies ? examples * g.inputSize() : 0];
            pieceValuesPerExample = g.pooledRows() * g.pooledColumns() * g.patchMatrixColumns();
            examplesPerPiece = Math.max(1, Math.min(chunk, PIECE_VALUES / pieceValuesPerExample));
            piece = new float[examplesPerPiece * pieceValuesPerExample];
            pieceScratch = new float[piece.length];
            stripValues = Math.max(1, STRIP_VALUES / g.filters()) * g.filters();
            biasStrip = new float[stripValues];
            stripBlocks = new float[windows][stripValues];
            stripGradientBlocks = new float[windows][stripValues];
            stripMax = new float[stripValues];
            stripPooled = new float[stripValues];
            stripGradient = new float[stripValues];
            // Product rows of one strip, split and joined through it in one pass (window rows only).
            rowScratch = new float[g.patchPerPoolWindow() ? windows * stripValues : 0];
            // The direct kernel's vectors reach past the last position (DirectFirstBlock's class comment).
            int padding = direct ? DirectFirstBlock.PADDING : 0;
            pooled = new float[block + padding];
            gradient = new float[block + padding];
            window = new float[direct ? block + padding : 0];
            kMajorWeights = new float[direct ? g.patchSize() * g.filters() + padding : 0];
            kMajorGradient = new float[direct ? g.patchSize() * g.filters() : 0];
            paddedBias = new float[direct ? 2 * DirectFirstBlock.PADDING : 0];
            max = new float[multiplies ? block : 0];
            weightsByFilter = new float[g.patchPerPoolWindow() || direct ? g.filters() * g.patchSize() : 0];
            boolean expands = multiplies && g.patchPerPoolWindow();
            int expanded = expands ? g.patchMatrixColumns() * g.productColumns() : 0;
            expandedWeights = new float[expanded];
            expandedGradient = new float[expanded];
            channelSums = new ChannelSums(g.filters(), SUM_STRIP_POSITIONS);
            patchMatrix = multiplies ? HostBuffers.detached(chunkRows, g.patchMatrixColumns()) : null;
            convMatrix = multiplies ? HostBuffers.detached(chunkRows, g.productColumns()) : null;
            convGradientMatrix = multiplies ? HostBuffers.detached(chunkRows, g.productColumns()) : null;
            patchGradientMatrix = multiplies ? HostBuffers.detached(chunkRows, g.patchMatrixColumns()) : null;
            expandedWeightMatrix = expands ? HostBuffers.detached(g.patchMatrixColumns(), g.productColumns()) : null;
            expandedWeightGradient = expands
                    ? HostBuffers.detached(g.productColumns(), g.patchMatrixColumns()) : null;
        }
    }
}
