package io.efftrain.pipeline.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * A partition's examples in the compact form training reads from memory: features stay in their stored
 * encoding (uint8 pixels take one byte each, a quarter of float32) and are decoded and normalised by a
 * {@link FeatureDecoder} only when a minibatch is filled. One block per Spark partition is cached on the
 * executors, so every averaging round reads the same memory.
 */
public final class ExampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] labels;
    private final byte[] features;
    private final FeatureDecoder decoder;

    /**
     * A block of uint8 pixels, decoded to [0, 1].
     *
     * @param labels class index of each example
     * @param pixels the examples' features, uint8, example after example
     * @param featureSize features per example
     */
    public ExampleBlock(int[] labels, byte[] pixels, int featureSize) {
        this(labels, pixels, FeatureDecoder.pixelsToUnitRange(featureSize));
    }

    /**
     * @param labels class index of each example
     * @param features the examples' encoded features, example after example
     * @param decoder how to turn them into network inputs
     */
    public ExampleBlock(int[] labels, byte[] features, FeatureDecoder decoder) {
        this.labels = Objects.requireNonNull(labels);
        this.features = Objects.requireNonNull(features);
        this.decoder = Objects.requireNonNull(decoder);
        if ((long) labels.length * decoder.bytesPerExample() != features.length) {
            throw new IllegalArgumentException("block of " + labels.length + " examples of "
                    + decoder.bytesPerExample() + " bytes needs " + (long) labels.length * decoder.bytesPerExample()
                    + " bytes, got " + features.length);
        }
    }

    public int size() {
        return labels.length;
    }

    public int featureSize() {
        return decoder.featureSize();
    }

    public FeatureDecoder decoder() {
        return decoder;
    }

    public int label(int example) {
        return labels[example];
    }

    /** The stored (encoded) features of one example, copied. */
    public byte[] encodedFeatures(int example) {
        int bytes = decoder.bytesPerExample();
        return java.util.Arrays.copyOfRange(features, example * bytes, (example + 1) * bytes);
    }

    /** The examples [from, from + count) as a block of their own (copied). */
    public ExampleBlock slice(int from, int count) {
        int bytes = decoder.bytesPerExample();
        return new ExampleBlock(java.util.Arrays.copyOfRange(labels, from, from + count),
                java.util.Arrays.copyOfRange(features, from * bytes, (from + count) * bytes), decoder);
    }

    /**
     * Writes the features of {@code count} examples, taken in the order {@code order[from..from+count)}, into
     * {@code out} as decoded, normalised floats, example after example.
     */
    public void fillFeatures(int[] order, int from, int count, float[] out) {
        int bytes = decoder.bytesPerExample();
        int size = decoder.featureSize();
        for (int i = 0; i < count; i++) {
            decoder.decode(features, order[from + i] * bytes, out, i * size);
        }
    }

    /** Writes one-hot labels of the same examples into {@code out} ({@code count x classes}, zeroed first). */
    public void fillOneHot(int[] order, int from, int count, int classes, float[] out) {
        java.util.Arrays.fill(out, 0, count * classes, 0f);
        for (int i = 0; i < count; i++) {
            out[i * classes + labels[order[from + i]]] = 1f;
        }
    }

    /** Collects examples one by one (a Spark partition's rows) into a block. */
    public static final class Builder {
        private final FeatureDecoder decoder;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(1 << 20);
        private int[] labels = new int[1024];
        private int count;

        public Builder(FeatureDecoder decoder) {
            this.decoder = Objects.requireNonNull(decoder);
        }

        /** Adds one example; its encoded features must have the decoder's size. */
        public Builder add(int label, byte[] encodedFeatures) {
            if (encodedFeatures.length != decoder.bytesPerExample()) {
                throw new IllegalArgumentException("example of " + encodedFeatures.length + " bytes where "
                        + decoder.bytesPerExample() + " are expected; a block holds one shape");
            }
            if (count == labels.length) {
                labels = java.util.Arrays.copyOf(labels, count * 2);
            }
            labels[count++] = label;
            bytes.writeBytes(encodedFeatures);
            return this;
        }

        public int size() {
            return count;
        }

        public ExampleBlock build() {
            return new ExampleBlock(java.util.Arrays.copyOf(labels, count), bytes.toByteArray(), decoder);
        }
    }
}
