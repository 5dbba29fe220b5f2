package io.efftrain.trainers.averaging;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A worker's view at the minibatch events: the minibatch as plain arrays (row after row), before it becomes
 * DL4J arrays, so worker-side algorithms (label smoothing, mixup, cutmix, ...) are pure array code. Random
 * choices come from {@link #random(long)}, seeded by (run seed, worker, step): a resumed run draws the same.
 *
 * <p>Beyond the arrays, an algorithm may at BATCH_START weigh each example's loss ({@link #weights()}), ask for
 * each example's loss at BATCH_END ({@link #requestExampleLosses()}; it costs one extra forward pass, so only
 * then), and hold the first layers fixed for this step ({@link #freezeFirstLayers(int)}). Selective methods
 * may score the minibatch at the current parameters ({@link #currentLosses()}, one forward pass) and keep only
 * some of its rows ({@link #keepOnly(int[])}), so the backward pass costs only what is kept.
 */
public final class MinibatchState {
    private float[] features;
    private float[] labels;
    private int count;
    private int[] examples;
    private transient LossProbe lossProbe;
    private long scoredExamples;
    private final int featureSize;
    private final int classes;
    private final long step;
    private final int worker;
    private final long seed;
    private final double budgetUsed;
    private double loss = Double.NaN;
    private float[] weights;
    private boolean exampleLossesRequested;
    private float[] exampleLosses;
    private int frozenLayers;
    private Set<String> heldLayers = Set.of();
    private boolean regression;

    public MinibatchState(float[] features, float[] labels, int count, int featureSize, int classes, long step,
                          int worker, long seed) {
        this(features, labels, count, featureSize, classes, step, worker, seed, 0);
    }

    /** @param budgetUsed the fraction of the budget used at this step, as the learning-rate schedule sees it */
    public MinibatchState(float[] features, float[] labels, int count, int featureSize, int classes, long step,
                          int worker, long seed, double budgetUsed) {
        this.budgetUsed = budgetUsed;
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

    /**
     * Label distributions, {@code count x classes}, writable (one-hot until an algorithm changes them); for
     * {@link #regression()} rows of (target, weight slot), {@code classes} = 2.
     */
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

    /** Whether the labels are regression rows (target, weight slot) rather than class distributions. */
    public boolean regression() {
        return regression;
    }

    void markRegression() {
        regression = true;
    }

    /** The global step this minibatch belongs to. */
    public long step() {
        return step;
    }

    public int worker() {
        return worker;
    }

    /** The fraction of the budget used at this step (step / estimated total steps). */
    public double budgetUsed() {
        return budgetUsed;
    }

    /**
     * Per-example loss weights, {@code count} of them, writable (all 1 until an algorithm changes them). Each
     * example's loss, and so its gradient, is multiplied by its weight (see {@link TrainRound#toDataSet}); the minibatch's loss is still divided by
     * {@code count}, so a weight of 0 drops an example and 1/(1-r) up-weights the kept ones after pruning r.
     */
    public float[] weights() {
        if (weights == null) {
            weights = new float[count];
            Arrays.fill(weights, 1f);
        }
        return weights;
    }

    /** Whether any algorithm asked for weights (none means the plain, unmasked minibatch). */
    public boolean weighted() {
        return weights != null;
    }

    /** Asks for {@link #exampleLosses()} at BATCH_END. */
    public void requestExampleLosses() {
        exampleLossesRequested = true;
    }

    public boolean exampleLossesRequested() {
        return exampleLossesRequested;
    }

    /**
     * Each example's cross-entropy against its (possibly mixed or smoothed) label distribution, unweighted, at the
     * parameters the step's gradient was taken at; known at BATCH_END when requested, else null.
     */
    public float[] exampleLosses() {
        return exampleLosses;
    }

    void setExampleLosses(float[] exampleLosses) {
        this.exampleLosses = exampleLosses;
    }

    /** Holds the first {@code layers} layers' parameters fixed for this step (the largest request wins). */
    public void freezeFirstLayers(int layers) {
        frozenLayers = Math.max(frozenLayers, layers);
    }

    public int frozenLayers() {
        return frozenLayers;
    }

    /**
     * Holds the named layers' parameters (BatchNorm running statistics included) fixed for this step, wherever
     * they are in the network; gradients still flow through them to the layers before (Deep Incubation's
     * modules). Requests add up.
     */
    public void holdLayers(Collection<String> names) {
        Set<String> all = new LinkedHashSet<>(heldLayers);
        all.addAll(names);
        heldLayers = Set.copyOf(all);
    }

    /** The layers held by {@link #holdLayers}, by name. */
    public Set<String> heldLayers() {
        return heldLayers;
    }

    /** Computes each example's loss at the worker's current parameters (a forward pass). */
    @FunctionalInterface
    public interface LossProbe {
        float[] losses(float[] features, float[] labels, int count);
    }

    /** Set by the worker's round before BATCH_START: how {@link #currentLosses()} scores the minibatch. */
    public void setLossProbe(LossProbe probe) {
        this.lossProbe = probe;
    }

    /**
     * Each example's loss at the current parameters, before this step: one forward pass, so call it only when
     * the choice needs it (at BATCH_START).
     */
    public float[] currentLosses() {
        if (lossProbe == null) {
            throw new IllegalStateException("this minibatch has no network to score it with");
        }
        scoredExamples += count;
        return lossProbe.losses(features, labels, count);
    }

    /** Examples scored by {@link #currentLosses()} so far (each call is a forward pass over the current rows). */
    public long scoredExamples() {
        return scoredExamples;
    }

    /** The examples' indices in the worker's block, or null when not tracked. */
    public int[] examples() {
        return examples;
    }

    void setExamples(int[] examples) {
        this.examples = examples;
    }

    /**
     * Keeps only the rows {@code rows} (ascending, distinct) of the minibatch: features, labels, weights and
     * example indices shrink together, so the step's forward and backward passes cost only what is kept.
     */
    public void keepOnly(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a minibatch cannot keep no example");
        }
        features = gather(features, rows, featureSize);
        labels = gather(labels, rows, classes);
        if (weights != null) {
            weights = gather(weights, rows, 1);
        }
        if (examples != null) {
            int[] kept = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                kept[i] = examples[rows[i]];
            }
            examples = kept;
        }
        count = rows.length;
    }

    private static float[] gather(float[] rowsOf, int[] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rowsOf, rows[i] * width, out, i * width, width);
        }
        return out;
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
