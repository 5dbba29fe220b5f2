package io.efftrain.trainers.algorithms.labelsmoothing;

/** Label smoothing (Szegedy et al., 2016): each target moves a share epsilon towards the uniform distribution. */
public final class LabelSmoothing {
    private LabelSmoothing() {
    }

    /** Smooths {@code count} label rows of {@code classes} entries in place: y = (1 - eps) y + eps / classes. */
    public static void apply(float[] labels, int count, int classes, double epsilon) {
        float keep = (float) (1 - epsilon);
        float spread = (float) (epsilon / classes);
        for (int i = 0; i < count * classes; i++) {
            labels[i] = labels[i] * keep + spread;
        }
    }
}
