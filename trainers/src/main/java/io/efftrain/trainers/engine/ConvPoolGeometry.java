package io.efftrain.trainers.engine;

import java.io.Serializable;

/**
 * The shapes of one convolution + ReLU + max-pool block on NHWC images: a square {@code kernel}, stride 1, no
 * padding, then non-overlapping {@code pool} x {@code pool} max-pooling ({@code pool = 1}: none).
 *
 * @param rows input height
 * @param columns input width
 * @param channels input channels
 * @param kernel convolution kernel side
 * @param filters output channels
 * @param pool pooling window side and stride
 */
public record ConvPoolGeometry(int rows, int columns, int channels, int kernel, int filters, int pool)
        implements Serializable {
    /**
     * Patch width (values) below which a row per convolution output multiplies too slowly, whatever a window row
     * costs in extra arithmetic: four AVX-512 vectors. Measured on ND4J's multiply at batch 128, one thread: 25 x
     * 20 products at 70-100 GFLOP/s, 500 x 50 ones at 115-145, 36 x 80 ones at 140-170, against 190 for 1024^3.
     */
    static final int WIDE_PATCH = 64;

    /**
     * Most extra arithmetic, as the ratio of a window row's square to the kernel's ({@code patchSide^2 /
     * kernel^2}), at which a wide patch still takes a row per pooling window. The LeNet's second block (5 x 5
     * kernel, 2 x 2 pool: 36 / 25 = 1.44) measured 2 to 3.5 % faster per training step that way (its im2col and
     * col2im move 2.8x fewer values, which outweighs its 44 % more multiply-adds); smaller kernels, at 1.78 (3 x 3)
     * and more, were not measured and keep a row per output.
     */
    static final double MAX_WINDOW_EXPANSION = 1.5;

    /** Checks that the shapes fit together; the message names the offending size. */
    public ConvPoolGeometry {
        if (rows < kernel || columns < kernel) {
            throw new IllegalArgumentException("a " + kernel + "x" + kernel + " kernel does not fit a " + rows + "x"
                    + columns + " input");
        }
        if (channels < 1 || filters < 1 || kernel < 1 || pool < 1) {
            throw new IllegalArgumentException("channels, filters, kernel and pool must be positive: " + channels
                    + ", " + filters + ", " + kernel + ", " + pool);
        }
        if ((rows - kernel + 1) % pool != 0 || (columns - kernel + 1) % pool != 0) {
            throw new IllegalArgumentException("the convolution's " + (rows - kernel + 1) + "x"
                    + (columns - kernel + 1) + " output does not divide into " + pool + "x" + pool + " pools");
        }
    }

    /** Convolution output height. */
    public int convRows() {
        return rows - kernel + 1;
    }

    /** Convolution output width. */
    public int convColumns() {
        return columns - kernel + 1;
    }

    /** Output height after pooling. */
    public int pooledRows() {
        return convRows() / pool;
    }

    /** Output width after pooling. */
    public int pooledColumns() {
        return convColumns() / pool;
    }

    /** Values in one input example. */
    public int inputSize() {
        return rows * columns * channels;
    }

    /** Values in one patch: a row of the patch matrix and a row of the weight matrix. */
    public int patchSize() {
        return kernel * kernel * channels;
    }

    /** Patches (convolution output positions) per example: rows of the patch matrix per example. */
    public int patchesPerExample() {
        return convRows() * convColumns();
    }

    /** Values in one output example, after pooling. */
    public int outputSize() {
        return pooledRows() * pooledColumns() * filters;
    }

    /**
     * Whether a row of the patch matrix covers a whole pooling window (the {@code patchSide()}-square input region
     * its {@code pool * pool} convolution outputs read) rather than one convolution output. The multiply then
     * has {@code pool * pool} times fewer rows, {@code patchSide()^2 * channels} columns and {@code pool * pool *
     * filters} outputs per row, part of them multiplying zero weights: 44 % more arithmetic for a 5 x 5 kernel
     * under a 2 x 2 pool. A narrow patch (the LeNet's first block: 36 x 80 against 4 x 25 x 20 per window) gains
     * because a product of the wider shape runs at 1.5 to 2x the rate of the thin one on ND4J's multiply; a wide
     * one (its second block: 720 x 200 against 4 x 500 x 50) because the patch matrix the Java loops build and
     * add back shrinks from 25 to 9 values per output position, as long as the extra arithmetic stays small (see
     * {@link #MAX_WINDOW_EXPANSION}).
     */
    public boolean patchPerPoolWindow() {
        if (pool == 1) {
            return false;
        }
        double expansion = (double) windowSide() * windowSide() / (kernel * kernel);
        return patchSize() < WIDE_PATCH || expansion <= MAX_WINDOW_EXPANSION;
    }

    /** Side of the input square under one pooling window's convolution outputs. */
    private int windowSide() {
        return kernel + pool - 1;
    }

    /** Side of the square input region one patch-matrix row holds (see {@link #patchPerPoolWindow}). */
    public int patchSide() {
        return patchPerPoolWindow() ? windowSide() : kernel;
    }

    /** Columns of the patch matrix: the values of one {@link #patchSide} square of the input. */
    public int patchMatrixColumns() {
        return patchSide() * patchSide() * channels;
    }

    /**
     * Offsets within the pooling window at which the patch matrix is built, each giving one row per pooled output
     * position: {@code pool * pool} when a row is one convolution output, 1 when it covers the whole window.
     */
    public int windowOffsets() {
        return patchPerPoolWindow() ? 1 : pool * pool;
    }

    /** Patch-matrix rows per example. */
    public int patchMatrixRowsPerExample() {
        return windowOffsets() * pooledRows() * pooledColumns();
    }

    /** Columns of the multiply's product: the filters, once per window position if a row covers the window. */
    public int productColumns() {
        return patchPerPoolWindow() ? pool * pool * filters : filters;
    }

    /**
     * Whether this is the shape {@link DirectFirstBlock} computes: the LeNet's first block on 28 x 28 images (one
     * channel, a 5 x 5 kernel, 2 x 2 pooling, 17 to 32 filters, i.e. two 16-lane vectors). Checked here, not there,
     * because loading that class needs the Vector API module.
     */
    public boolean fitsDirectFirstBlock() {
        return rows == 28 && columns == 28 && channels == 1 && kernel == 5 && pool == 2 && filters > 16
                && filters <= 32;
    }

    /** Multiply-adds of the forward convolution per example. */
    public long multiplyAddsPerExample() {
        return (long) patchesPerExample() * patchSize() * filters;
    }
}
