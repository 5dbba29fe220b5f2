package io.efftrain.trainers.engine;

import java.util.Arrays;

/**
 * The loops of a convolution + max-pool + ReLU block around its matrix multiplies, on NHWC data in plain arrays.
 * A convolution is one multiply of a patch matrix (one row per output position, {@code kernel*kernel*channels}
 * columns, or one per pooling window; see below) by the weights; these functions build that matrix, finish the
 * output and run the same steps backwards.
 *
 * <p>The patch rows of a chunk of examples are ordered by position in the pooling window first, then example,
 * pooled row and pooled column: {@code row = ((w * count + n) * pooledRows + py) * pooledColumns + px} for
 * window position {@code w = dy * pool + dx}. The convolution output then splits into one NHWC block per window
 * position, max-pooling is an element-wise maximum over those blocks and the pooled output comes out in NHWC
 * order. Bias and ReLU come after the pooling: both are monotonic, so max(relu(z + b)) = relu(max(z) + b), on a
 * quarter of the values.
 *
 * <p>Where it pays ({@link ConvPoolGeometry#patchPerPoolWindow}) a row instead holds the whole input square
 * under one pooling window ({@code patchSide} = kernel + pool - 1 on a side; one "window offset", 0), the weights
 * are expanded to give all window positions' outputs in one row ({@link #expandWeights}), and the layer splits
 * each product row into the same per-window blocks, so the pooling loops are shared.
 *
 * <p>The element-wise loops index every array with the same expression: HotSpot's C2 (JDK 17) vectorises a
 * loop only when it can rule out overlap between the arrays it stores to and loads from, and offsets that
 * differ between two arrays defeat that check (measured: 5x slower).
 */
public final class ConvPoolKernels {
    private ConvPoolKernels() {
    }

    /**
     * Writes the patch rows of pooling-window position {@code window} for examples {@code [from, to)} of
     * {@code input} (NHWC, one example after another) into {@code patches} from position 0: in the patch matrix
     * those rows are contiguous, so the matrix is built piece by piece in a small array that stays in cache.
     */
    public static void im2col(float[] input, int window, int from, int to, ConvPoolGeometry g, float[] patches) {
        int side = g.patchSide();
        int run = side * g.channels();
        int rowStride = g.columns() * g.channels();
        int dy = window / g.pool();
        int dx = window % g.pool();
        int out = 0;
        for (int n = from; n < to; n++) {
            for (int py = 0; py < g.pooledRows(); py++) {
                for (int px = 0; px < g.pooledColumns(); px++) {
                    int corner = n * g.inputSize() + (py * g.pool() + dy) * rowStride
                            + (px * g.pool() + dx) * g.channels();
                    for (int ky = 0; ky < side; ky++) {
                        System.arraycopy(input, corner + ky * rowStride, patches, out, run);
                        out += run;
                    }
                }
            }
        }
    }

    /**
     * Adds the patch-matrix gradient rows of window position {@code window} for examples {@code [from, to)}
     * ({@link #im2col}'s piece, from position 0 of {@code patchGradient}) back onto the input positions each
     * patch came from. {@code inputGradient} must hold zeros (or earlier sums) for those examples;
     * {@code scratch} is as long as the piece.
     *
     * <p>Each run of {@code kernel*channels} values goes through {@code scratch} at the run's own offset in the
     * piece, so the addition indexes both of its arrays alike and C2 vectorises it (see the class comment);
     * adding straight into the input at its other offset ran 2x slower for the LeNet's second block.
     */
    public static void col2im(float[] patchGradient, int window, int from, int to, ConvPoolGeometry g,
                              float[] inputGradient, float[] scratch) {
        int side = g.patchSide();
        int run = side * g.channels();
        int rowStride = g.columns() * g.channels();
        int dy = window / g.pool();
        int dx = window % g.pool();
        int in = 0;
        for (int n = from; n < to; n++) {
            for (int py = 0; py < g.pooledRows(); py++) {
                for (int px = 0; px < g.pooledColumns(); px++) {
                    int corner = n * g.inputSize() + (py * g.pool() + dy) * rowStride
                            + (px * g.pool() + dx) * g.channels();
                    for (int ky = 0; ky < side; ky++) {
                        int at = corner + ky * rowStride;
                        System.arraycopy(inputGradient, at, scratch, in, run);
                        for (int i = in; i < in + run; i++) {
                            scratch[i] += patchGradient[i];
                        }
                        System.arraycopy(scratch, in, inputGradient, at, run);
                        in += run;
                    }
                }
            }
        }
    }

    /**
     * The multiply's weights when a patch row covers a pooling window ({@link ConvPoolGeometry#patchPerPoolWindow}):
     * column {@code w * filters + f} holds filter {@code f}'s kernel at window position {@code w}'s place in the
     * patch square, zeros elsewhere. {@code weights} is the layer's weight matrix transposed (filter by filter,
     * {@code patchSize} values each); {@code expanded} is row-major, {@code patchMatrixColumns} x
     * {@code productColumns}.
     */
    public static void expandWeights(float[] weights, ConvPoolGeometry g, float[] expanded) {
        int columns = g.productColumns();
        Arrays.fill(expanded, 0, g.patchMatrixColumns() * columns, 0f);
        forEachWeightPlace(g, (weight, filter, place, column) ->
                expanded[place * columns + column] = weights[filter * g.patchSize() + weight]);
    }

    /**
     * The inverse of {@link #expandWeights} for gradients: {@code gradient} (filter by filter, as the weights
     * there) gets the sum over window positions of {@code expandedGradient}, which is column by column
     * ({@code productColumns} x {@code patchMatrixColumns}, the transposed layout the weight-gradient multiply
     * writes fastest).
     */
    public static void foldWeightGradient(float[] expandedGradient, ConvPoolGeometry g, float[] gradient) {
        int rows = g.patchMatrixColumns();
        Arrays.fill(gradient, 0, g.patchSize() * g.filters(), 0f);
        forEachWeightPlace(g, (weight, filter, place, column) ->
                gradient[filter * g.patchSize() + weight] += expandedGradient[column * rows + place]);
    }

    /** Where weight {@code weight} of filter {@code filter} sits in the expanded matrix, for each window position. */
    private interface WeightPlace {
        void at(int weight, int filter, int place, int column);
    }

    private static void forEachWeightPlace(ConvPoolGeometry g, WeightPlace action) {
        int side = g.patchSide();
        int channels = g.channels();
        for (int window = 0; window < g.pool() * g.pool(); window++) {
            int dy = window / g.pool();
            int dx = window % g.pool();
            for (int filter = 0; filter < g.filters(); filter++) {
                int column = window * g.filters() + filter;
                for (int ky = 0; ky < g.kernel(); ky++) {
                    for (int kx = 0; kx < g.kernel(); kx++) {
                        for (int c = 0; c < channels; c++) {
                            action.at((ky * g.kernel() + kx) * channels + c, filter,
                                    ((dy + ky) * side + dx + kx) * channels + c, column);
                        }
                    }
                }
            }
        }
    }

    /** Reorders {@code examples} channel-major images in {@code source} to NHWC in {@code target}. */
    public static void channelsLast(float[] source, int examples, ConvPoolGeometry g, float[] target) {
        int pixels = g.rows() * g.columns();
        int channels = g.channels();
        for (int n = 0; n < examples; n++) {
            int base = n * g.inputSize();
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < pixels; p++) {
                    target[base + p * channels + c] = source[base + c * pixels + p];
                }
            }
        }
    }

    /** {@code pooled[j] = max over the window blocks of blocks[w][j]}, for j below {@code length}. */
    public static void maxPool(float[][] blocks, int length, float[] pooled) {
        System.arraycopy(blocks[0], 0, pooled, 0, length);
        for (int w = 1; w < blocks.length; w++) {
            float[] block = blocks[w];
            for (int j = 0; j < length; j++) {
                pooled[j] = Math.max(pooled[j], block[j]);
            }
        }
    }

    /** Repeats {@code bias} along {@code row} (NHWC: one copy per position), so bias adds index like the data. */
    public static void tile(float[] bias, float[] row, int length) {
        System.arraycopy(bias, 0, row, 0, bias.length);
        for (int filled = bias.length; filled < length; filled *= 2) {
            System.arraycopy(row, 0, row, filled, Math.min(filled, length - filled));
        }
    }

    /** {@code out[j] = relu(values[j] + biasRow[j])}; {@code out} may be {@code values}. */
    public static void biasRelu(float[] values, float[] biasRow, float[] out, int length) {
        for (int j = 0; j < length; j++) {
            out[j] = Math.max(values[j] + biasRow[j], 0f);
        }
    }

    /** Zeroes the gradient where the ReLU was inactive: {@code gradient[j] = 0 where activated[j] == 0}. */
    public static void reluGate(float[] activated, float[] gradient, int length) {
        for (int j = 0; j < length; j++) {
            gradient[j] *= isPositive(activated[j]);
        }
    }

    /**
     * The backward pass of max-pooling: sends each {@code gradient[j]} to the first window block holding the
     * maximum {@code max[j]} (what {@link #maxPool} gave in the forward pass), into {@code gradientBlocks} (zero
     * elsewhere). {@code gradient} is used up.
     */
    public static void unpool(float[][] blocks, float[] max, float[] gradient, int length, float[][] gradientBlocks) {
        for (int w = 0; w < blocks.length; w++) {
            float[] block = blocks[w];
            float[] out = gradientBlocks[w];
            for (int j = 0; j < length; j++) {
                float taken = gradient[j] * (1f - isPositive(max[j] - block[j]));
                out[j] = taken;
                gradient[j] -= taken;
            }
        }
    }

    /**
     * 1 for a positive {@code value}, 0 for zero; {@code value} is never negative. Arithmetic rather than a
     * comparison on purpose: which values are zero depends on the data, so a branch mispredicts often (it was the
     * slowest line of a LeNet step), and C2 vectorises multiplies and minimums but not conditional moves. The two
     * factors of 1e38 take even the smallest subnormal float past 1.
     */
    private static float isPositive(float value) {
        return Math.min(1f, value * 1e38f * 1e38f);
    }
}
