package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * Training losses of individual examples sent from the workers to the driver: which worker, which example of its
 * block, and the loss at the forward pass its gradient came from. Small (one float and two ints per example
 * drawn in a round), and concatenated as Spark combines round results.
 *
 * @param workers the worker (block) of each entry
 * @param examples the example's index in its block
 * @param losses the example's unweighted loss
 */
public record ExampleLossReport(int[] workers, int[] examples, float[] losses) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No entries. */
    public static ExampleLossReport empty() {
        return new ExampleLossReport(new int[0], new int[0], new float[0]);
    }

    public int size() {
        return losses.length;
    }

    /** Both reports' entries. */
    public ExampleLossReport plus(ExampleLossReport other) {
        if (other == null || other.size() == 0) {
            return this;
        }
        if (size() == 0) {
            return other;
        }
        return new ExampleLossReport(concat(workers, other.workers), concat(examples, other.examples),
                concat(losses, other.losses));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Collects one worker's entries. */
    static final class Builder {
        private final int worker;
        private int[] examples = new int[256];
        private float[] losses = new float[256];
        private int size;

        Builder(int worker) {
            this.worker = worker;
        }

        void add(int example, float loss) {
            if (size == losses.length) {
                examples = java.util.Arrays.copyOf(examples, size * 2);
                losses = java.util.Arrays.copyOf(losses, size * 2);
            }
            examples[size] = example;
            losses[size++] = loss;
        }

        ExampleLossReport build() {
            int[] w = new int[size];
            java.util.Arrays.fill(w, worker);
            return new ExampleLossReport(w, java.util.Arrays.copyOf(examples, size), java.util.Arrays.copyOf(losses, size));
        }
    }
}
