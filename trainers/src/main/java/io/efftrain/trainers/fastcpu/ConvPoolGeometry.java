package io.efftrain.trainers.fastcpu;

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

    /** Multiply-adds of the forward convolution per example. */
    public long multiplyAddsPerExample() {
        return (long) patchesPerExample() * patchSize() * filters;
    }
}
