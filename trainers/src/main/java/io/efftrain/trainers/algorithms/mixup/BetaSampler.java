package io.efftrain.trainers.algorithms.mixup;

import java.util.SplittableRandom;

/** Draws from Beta(a, a) through two Gamma draws (Marsaglia and Tsang), for mixup-style algorithms. */
public final class BetaSampler {
    private BetaSampler() {
    }

    /** One draw from the symmetric Beta(alpha, alpha). */
    public static double symmetric(double alpha, SplittableRandom random) {
        double x = gamma(alpha, random);
        double y = gamma(alpha, random);
        return x / (x + y);
    }

    private static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) {
            // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
            return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = normal(random);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    private static double normal(SplittableRandom random) {
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
