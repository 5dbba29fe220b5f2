package io.efftrain.pipeline.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * A partition's examples in the compact form training reads from memory: pixels stay uint8 (one byte each,
 * a quarter of float32) and are decoded and scaled to [0, 1] only when a minibatch is filled. One block per
 * Spark partition is cached on the executors, so every averaging round reads the same memory.
 */
public final class ExampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] labels;
    private final byte[] pixels;
    private final int featureSize;

    /**
     * @param labels class index of each example
     * @param pixels the examples' features, uint8, example after example
     * @param featureSize features per example
     */
    public ExampleBlock(int[] labels, byte[] pixels, int featureSize) {
        this.labels = Objects.requireNonNull(labels);
        this.pixels = Objects.requireNonNull(pixels);
        this.featureSize = featureSize;
        if ((long) labels.length * featureSize != pixels.length) {
            throw new IllegalArgumentException("block of " + labels.length + " examples with " + featureSize
                    + " features needs " + (long) labels.length * featureSize + " bytes, got " + pixels.length);
        }
    }

    public int size() {
        return labels.length;
    }

    public int featureSize() {
        return featureSize;
    }

    public int label(int example) {
        return labels[example];
    }

    /** The examples [from, from + count) as a block of their own (copied). */
    public ExampleBlock slice(int from, int count) {
        return new ExampleBlock(java.util.Arrays.copyOfRange(labels, from, from + count),
                java.util.Arrays.copyOfRange(pixels, from * featureSize, (from + count) * featureSize), featureSize);
    }

    /**
     * Writes the features of {@code count} examples, taken in the order {@code order[from..from+count)}, into
     * {@code out} as floats in [0, 1], example after example.
     */
    public void fillFeatures(int[] order, int from, int count, float[] out) {
        final float scale = 1f / 255f;
        for (int i = 0; i < count; i++) {
            int src = order[from + i] * featureSize;
            int dst = i * featureSize;
            for (int j = 0; j < featureSize; j++) {
                out[dst + j] = (pixels[src + j] & 0xFF) * scale;
            }
        }
    }

    /** Writes one-hot labels of the same examples into {@code out} ({@code count x classes}, zeroed first). */
    public void fillOneHot(int[] order, int from, int count, int classes, float[] out) {
        java.util.Arrays.fill(out, 0, count * classes, 0f);
        for (int i = 0; i < count; i++) {
            out[i * classes + labels[order[from + i]]] = 1f;
        }
    }
}
