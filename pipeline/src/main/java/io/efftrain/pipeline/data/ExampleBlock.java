package io.efftrain.pipeline.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A partition's examples in the compact form training reads from memory: features stay in their stored
 * encoding (uint8 pixels take one byte each, a quarter of float32) and are decoded and normalised by a
 * {@link FeatureDecoder} only when a minibatch is filled. One block per Spark partition is cached on the
 * executors, so every averaging round reads the same memory. The features live in a {@link FeatureStore}: the
 * heap while the block fits its {@link BlockMemory} budget, a mapped file on the worker's local disk when not.
 */
public final class ExampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Label columns of a regression example: the target, then the example's weight (see {@link #fillLabels}). */
    public static final int REGRESSION_LABEL_WIDTH = 2;

    private final int[] labels;
    /** Regression targets, one per example, or null for class labels. */
    private final float[] targets;
    /** Per-example loss weights, or null when every example weighs 1. */
    private final float[] weights;
    private final FeatureStore features;
    private final FeatureDecoder decoder;
    private final int shuffleWindow;

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
        this(labels, new HeapFeatures(features), decoder);
    }

    /**
     * @param labels class index of each example
     * @param features the examples' encoded features, example after example, wherever they are stored
     * @param decoder how to turn them into network inputs
     */
    public ExampleBlock(int[] labels, FeatureStore features, FeatureDecoder decoder) {
        this(labels, features, decoder, Integer.MAX_VALUE);
    }

    /**
     * @param shuffleWindow examples per window in which training shuffles this block's examples (see
     *     {@link BlockMemory#shuffleWindow()}); at least the block's size shuffles it whole
     */
    public ExampleBlock(int[] labels, FeatureStore features, FeatureDecoder decoder, int shuffleWindow) {
        this(labels, null, null, features, decoder, shuffleWindow);
    }

    /**
     * The full form.
     *
     * @param targets regression targets, one per example, or null for a block of class labels
     * @param weights per-example loss weights (finite, at least 0), or null when every example weighs 1
     */
    public ExampleBlock(int[] labels, float[] targets, float[] weights, FeatureStore features, FeatureDecoder decoder,
                        int shuffleWindow) {
        if (targets != null && targets.length != labels.length || weights != null && weights.length != labels.length) {
            throw new IllegalArgumentException("a block of " + labels.length + " examples needs as many targets and "
                    + "weights, got " + (targets == null ? "none" : targets.length) + " and "
                    + (weights == null ? "none" : weights.length));
        }
        this.targets = targets;
        this.weights = weights;
        if (shuffleWindow <= 0) {
            throw new IllegalArgumentException("a shuffle window holds at least one example, got " + shuffleWindow);
        }
        this.shuffleWindow = shuffleWindow;
        this.labels = Objects.requireNonNull(labels);
        this.features = Objects.requireNonNull(features);
        this.decoder = Objects.requireNonNull(decoder);
        if ((long) labels.length * decoder.bytesPerExample() != features.bytes()) {
            throw new IllegalArgumentException("block of " + labels.length + " examples of "
                    + decoder.bytesPerExample() + " bytes needs " + (long) labels.length * decoder.bytesPerExample()
                    + " bytes, got " + features.bytes());
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

    /** Whether the examples have regression targets rather than class labels. */
    public boolean regression() {
        return targets != null;
    }

    /** The regression target of one example (only for a {@link #regression()} block). */
    public float target(int example) {
        return targets[example];
    }

    /** Whether the examples carry their own loss weights. */
    public boolean weighted() {
        return weights != null;
    }

    /** The loss weight of one example (1 in an unweighted block). */
    public float weight(int example) {
        return weights == null ? 1f : weights[example];
    }

    /** Floats per example in {@link #fillLabels}: the class count, or {@link #REGRESSION_LABEL_WIDTH}. */
    public int labelWidth(int classes) {
        return regression() ? REGRESSION_LABEL_WIDTH : classes;
    }

    /** Examples per shuffle window: the block's size or more when it is shuffled whole. */
    public int shuffleWindow() {
        return shuffleWindow;
    }

    /** Whether the features were spilled to a local file (the block was above its memory budget). */
    public boolean spilled() {
        return features.spilled();
    }

    /** The encoded bytes of all features. */
    public long storedBytes() {
        return features.bytes();
    }

    /** Hints that the examples [from, from + count) in stored order will be read soon (see FeatureStore). */
    public void prefetch(int from, int count) {
        long bytes = decoder.bytesPerExample();
        features.prefetch(from * bytes, count * bytes);
    }

    /** Frees the spill file of a spilled block; the block is unusable afterwards. */
    public void release() {
        features.release();
    }

    /** The stored (encoded) features of one example, copied. */
    public byte[] encodedFeatures(int example) {
        byte[] out = new byte[decoder.bytesPerExample()];
        features.read((long) example * out.length, out);
        return out;
    }

    /** The examples [from, from + count) as a block of their own, on the heap (copied). */
    public ExampleBlock slice(int from, int count) {
        byte[] out = new byte[Math.multiplyExact(count, decoder.bytesPerExample())];
        features.read((long) from * decoder.bytesPerExample(), out);
        return new ExampleBlock(Arrays.copyOfRange(labels, from, from + count),
                targets == null ? null : Arrays.copyOfRange(targets, from, from + count),
                weights == null ? null : Arrays.copyOfRange(weights, from, from + count), new HeapFeatures(out),
                decoder, Integer.MAX_VALUE);
    }

    /**
     * Writes the features of {@code count} examples, taken in the order {@code order[from..from+count)}, into
     * {@code out} as decoded, normalised floats, example after example.
     */
    public void fillFeatures(int[] order, int from, int count, float[] out) {
        int bytes = decoder.bytesPerExample();
        int size = decoder.featureSize();
        for (int i = 0; i < count; i++) {
            features.decode(decoder, (long) order[from + i] * bytes, out, i * size);
        }
    }

    /**
     * Writes the labels of the same examples into {@code out}, {@link #labelWidth} floats each: one-hot class
     * labels ({@code count x classes}), or for regression the target and a weight slot of 1 that a minibatch's
     * weights scale (the loss reads both; see the trainers' RegressionLoss).
     */
    public void fillLabels(int[] order, int from, int count, int classes, float[] out) {
        if (targets == null) {
            fillOneHot(order, from, count, classes, out);
            return;
        }
        for (int i = 0; i < count; i++) {
            out[i * REGRESSION_LABEL_WIDTH] = targets[order[from + i]];
            out[i * REGRESSION_LABEL_WIDTH + 1] = 1f;
        }
    }

    /** Writes one-hot labels of the same examples into {@code out} ({@code count x classes}, zeroed first). */
    public void fillOneHot(int[] order, int from, int count, int classes, float[] out) {
        Arrays.fill(out, 0, count * classes, 0f);
        for (int i = 0; i < count; i++) {
            out[i * classes + labels[order[from + i]]] = 1f;
        }
    }

    /**
     * Collects examples one by one (a Spark partition's rows) into a block: on the heap up to the memory budget,
     * then, from the example that would exceed it, streamed to a spill file, so building never holds more than
     * the budget however large the partition.
     */
    public static final class Builder {
        private final FeatureDecoder decoder;
        private final BlockMemory memory;
        private final long budget;
        private final HeapGrant grant;
        private long granted;
        private HeapChunks heap = new HeapChunks();
        private Path spillFile;
        private OutputStream spill;
        private long written;
        private int[] labels = new int[1024];
        private float[] targets;
        private float[] weights;
        private int count;

        /** A builder that keeps every example on the heap. */
        public Builder(FeatureDecoder decoder) {
            this(decoder, BlockMemory.unlimited());
        }

        public Builder(FeatureDecoder decoder, BlockMemory memory) {
            this(decoder, memory, HeapGrant.UNLIMITED);
        }

        /** A builder that also asks {@code grant} for heap, 1 MiB at a time, and spills when refused. */
        public Builder(FeatureDecoder decoder, BlockMemory memory, HeapGrant grant) {
            this.decoder = Objects.requireNonNull(decoder);
            this.memory = Objects.requireNonNull(memory);
            this.budget = memory.bytesPerBlock();
            this.grant = Objects.requireNonNull(grant);
        }

        /**
         * Adds one example with a regression target (NaN: none, a class label only) and a loss weight; a block's
         * examples all have targets or none.
         */
        public Builder add(int label, float target, float weight, byte[] encodedFeatures) {
            boolean hasTarget = !Float.isNaN(target);
            if (count > 0 && hasTarget != (targets != null)) {
                throw new IllegalArgumentException("a block holds regression targets for all its examples or none");
            }
            int at = count;
            add(label, encodedFeatures);
            if (hasTarget) {
                targets = fitted(targets, 0f);
                targets[at] = target;
            }
            if (weight != 1f || weights != null) {
                weights = fitted(weights, 1f);
                weights[at] = weight;
            }
            return this;
        }

        /** {@code values} as long as the labels, new slots set to {@code fill}. */
        private float[] fitted(float[] values, float fill) {
            if (values != null && values.length >= labels.length) {
                return values;
            }
            int old = values == null ? 0 : values.length;
            float[] out = values == null ? new float[labels.length] : Arrays.copyOf(values, labels.length);
            Arrays.fill(out, old, out.length, fill);
            return out;
        }

        /** Adds one example; its encoded features must have the decoder's size. */
        public Builder add(int label, byte[] encodedFeatures) {
            if (encodedFeatures.length != decoder.bytesPerExample()) {
                throw new IllegalArgumentException("example of " + encodedFeatures.length + " bytes where "
                        + decoder.bytesPerExample() + " are expected; a block holds one shape");
            }
            if (count == labels.length) {
                labels = Arrays.copyOf(labels, count * 2);
            }
            labels[count++] = label;
            if (weights != null) {
                // Weighs 1 unless the caller (add with a weight) says otherwise.
                weights = fitted(weights, 1f);
                weights[count - 1] = 1f;
            }
            try {
                if (spill == null && (written + encodedFeatures.length > Math.min(budget, Integer.MAX_VALUE - 64)
                        || !granted(written + encodedFeatures.length))) {
                    startSpilling();
                }
                if (spill != null) {
                    spill.write(encodedFeatures);
                } else {
                    heap.write(encodedFeatures);
                }
            } catch (IOException e) {
                throw spillFailure(e);
            }
            written += encodedFeatures.length;
            return this;
        }

        public int size() {
            return count;
        }

        /** The block; a spilling builder closes its file here. */
        public ExampleBlock build() {
            int[] exact = Arrays.copyOf(labels, count);
            float[] exactTargets = targets == null ? null : Arrays.copyOf(targets, count);
            float[] exactWeights = weights == null ? null : Arrays.copyOf(weights, count);
            if (spill == null) {
                ExampleBlock block = new ExampleBlock(exact, exactTargets, exactWeights, new HeapFeatures(heap.drain()),
                        decoder, Integer.MAX_VALUE);
                grant.releaseAll();
                return block;
            }
            try {
                spill.close();
            } catch (IOException e) {
                throw spillFailure(e);
            }
            return new ExampleBlock(exact, exactTargets, exactWeights,
                    new SpilledFeatures(spillFile, written, decoder.bytesPerExample()), decoder,
                    memory.shuffleWindow());
        }

        /** Whether {@code bytes} of heap are granted, asking for more in chunks as needed. */
        private boolean granted(long bytes) {
            while (granted < bytes) {
                if (!grant.acquire(HeapChunks.CHUNK)) {
                    return false;
                }
                granted += HeapChunks.CHUNK;
            }
            return true;
        }

        private void startSpilling() throws IOException {
            Path directory = Files.createDirectories(memory.spillPath());
            spillFile = Files.createTempFile(directory, "efftrain-block-", ".bin");
            spill = new BufferedOutputStream(Files.newOutputStream(spillFile), 1 << 20);
            heap.moveTo(spill);
            heap = null;
            grant.releaseAll();
        }

        private UncheckedIOException spillFailure(IOException e) {
            return new UncheckedIOException("cannot write a block of training examples to " + memory.spillPath()
                    + " (the block is above its memory budget of " + budget + " bytes); free disk space there, or "
                    + "raise data.feed.memory-mb", e);
        }
    }

    /**
     * Bytes collected in 1 MiB chunks: growing never copies what was written (a doubling array briefly holds
     * three times the data, which is what made a small heap fail), and {@link #drain} frees each chunk as it is
     * copied into the one exact array, so the peak is the data plus one chunk.
     */
    private static final class HeapChunks {
        private static final int CHUNK = 1 << 20;
        private final java.util.ArrayList<byte[]> chunks = new java.util.ArrayList<>();
        private int used = CHUNK;
        private long size;

        void write(byte[] bytes) {
            for (int at = 0; at < bytes.length; ) {
                if (used == CHUNK) {
                    chunks.add(new byte[CHUNK]);
                    used = 0;
                }
                int n = Math.min(bytes.length - at, CHUNK - used);
                System.arraycopy(bytes, at, chunks.get(chunks.size() - 1), used, n);
                used += n;
                at += n;
            }
            size += bytes.length;
        }

        /** Writes the bytes to {@code out}, freeing each chunk once written. */
        void moveTo(OutputStream out) throws IOException {
            long left = size;
            for (int i = 0; i < chunks.size(); i++) {
                int n = (int) Math.min(CHUNK, left);
                out.write(chunks.get(i), 0, n);
                chunks.set(i, null);
                left -= n;
            }
            chunks.clear();
            size = 0;
        }

        byte[] drain() {
            byte[] out = new byte[Math.toIntExact(size)];
            int at = 0;
            for (int i = 0; i < chunks.size(); i++) {
                int n = (int) Math.min(CHUNK, size - at);
                System.arraycopy(chunks.get(i), 0, out, at, n);
                chunks.set(i, null);
                at += n;
            }
            chunks.clear();
            used = CHUNK;
            size = 0;
            return out;
        }
    }
}
