package io.efftrain.trainers.averaging;

import java.util.SplittableRandom;

/**
 * A worker's view at the minibatch events: the minibatch as plain arrays (row after row), before it becomes
 * DL4J arrays, so worker-side algorithms (label smoothing, mixup, cutmix, ...) are pure array code. Random
 * choices come from {@link #random(long)}, seeded by (run seed, worker, step): a resumed run draws the same.
 */
public final class MinibatchState {
    private final float[] features;
    private final float[] labels;
    private final int count;
    private final int featureSize;
    private final int classes;
    private final long step;
    private final int worker;
    private final long seed;
    private double loss = Double.NaN;

    public MinibatchState(float[] features, float[] labels, int count, int featureSize, int classes, long step,
                          int worker, long seed) {
        this.features = features;
        this.labels = labels;
        this.count = count;
        this.featureSize = featureSize;
        this.classes = classes;
        this.step = step;
        this.worker = worker;
        this.seed = seed;
    }

    /** Features, {@code count x featureSize}, writable. */
    public float[] features() {
        return features;
    }

    /** Label distributions, {@code count x classes}, writable (one-hot until an algorithm changes them). */
    public float[] labels() {
        return labels;
    }

    public int count() {
        return count;
    }

    public int featureSize() {
        return featureSize;
    }

    public int classes() {
        return classes;
    }

    /** The global step this minibatch belongs to. */
    public long step() {
        return step;
    }

    public int worker() {
        return worker;
    }

    /** The minibatch loss, known at BATCH_END. */
    public double loss() {
        return loss;
    }

    void setLoss(double loss) {
        this.loss = loss;
    }

    /** A random source for one algorithm at this minibatch, reproducible from (seed, worker, step, salt). */
    public SplittableRandom random(long salt) {
        return new SplittableRandom(((seed * 31 + worker) * 0x9E3779B97F4A7C15L + step) ^ (salt * 0xC2B2AE3D27D4EB4FL));
    }
}
