package io.efftrain.trainers.algorithms.mixup;

/**
 * Mixup (Zhang et al., 2018): every example becomes lambda times itself plus (1 - lambda) times a partner from
 * the same minibatch, features and label distributions alike.
 */
public final class Mixup {
    private Mixup() {
    }

    /**
     * Mixes in place.
     *
     * @param partner partner[i] is the example mixed into example i (a permutation of the minibatch)
     */
    public static void apply(float[] features, float[] labels, int count, int featureSize, int classes,
                             double lambda, int[] partner) {
        float[] x = features.clone();
        float[] y = labels.clone();
        float a = (float) lambda;
        float b = (float) (1 - lambda);
        for (int i = 0; i < count; i++) {
            int j = partner[i];
            for (int f = 0; f < featureSize; f++) {
                features[i * featureSize + f] = a * x[i * featureSize + f] + b * x[j * featureSize + f];
            }
            for (int c = 0; c < classes; c++) {
                labels[i * classes + c] = a * y[i * classes + c] + b * y[j * classes + c];
            }
        }
    }

    /** A random permutation of [0, n), the partners of a minibatch. */
    public static int[] partners(int n, java.util.SplittableRandom random) {
        return io.efftrain.trainers.averaging.Permutations.shuffled(n, random);
    }
}
