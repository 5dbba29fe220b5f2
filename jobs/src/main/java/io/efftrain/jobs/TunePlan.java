package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Successive halving's arithmetic: how many trials each rung trains and on what share of one full training. Each
 * rung keeps 1/eta of the one before (rounded down, at least one) and trains them on eta times its share; the last
 * rung trains one trial on the full budget, so the winner's training is exactly one full training of its config.
 * Every trial of a rung trains from scratch (budget-aware schedules end where the budget ends, so a shorter run is
 * not a prefix of a longer one).
 *
 * @param eta the promotion factor
 * @param rungs the rungs in order
 */
public record TunePlan(int eta, List<Rung> rungs) {
    public TunePlan {
        rungs = List.copyOf(rungs);
    }

    /**
     * One rung.
     *
     * @param index 0 for the first rung
     * @param trials trials trained in this rung
     * @param fraction each trial's share of one full training (1 on the last rung)
     */
    public record Rung(int index, int trials, double fraction) {
        /** This rung's training, in full trainings. */
        public double cost() {
            return trials * fraction;
        }
    }

    /** The plan for {@code trials} starting trials: rungs of n, n / eta, n / eta^2, ... trials, down to one. */
    public static TunePlan successiveHalving(int trials, int eta) {
        if (trials < 1 || eta < 2) {
            throw new IllegalArgumentException("trials >= 1 and eta >= 2, got " + trials + " and " + eta);
        }
        List<Integer> counts = new ArrayList<>();
        for (int n = trials; ; n = Math.max(1, n / eta)) {
            counts.add(n);
            if (n == 1) {
                break;
            }
        }
        int last = counts.size() - 1;
        List<Rung> rungs = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            rungs.add(new Rung(i, counts.get(i), Math.pow(eta, i - last)));
        }
        return new TunePlan(eta, rungs);
    }

    /**
     * The plan tune runs: {@code requested} trials (at most {@code distinct}, the points the space holds), or, when
     * none are requested, the most trials whose plan fits the budget.
     *
     * @param budget the total, in full trainings
     * @throws EfftrainException a bad-config error naming tune.trials and tune.budget when the requested plan
     *     costs more than the budget
     */
    public static TunePlan fitting(OptionalInt requested, int eta, double budget, long distinct) {
        int most = (int) Math.min(distinct, 100_000);
        if (requested.isPresent()) {
            int trials = Math.min(requested.getAsInt(), most);
            TunePlan plan = successiveHalving(trials, eta);
            if (plan.cost() > budget + 1e-9) {
                throw EfftrainException.badConfig(String.format(Locale.ROOT, "tune.trials = %d with tune.eta = %d "
                        + "trains %s, %.3g full trainings in all, more than tune.budget = %.3g. Raise tune.budget, "
                        + "or set tune.trials = %d or fewer (or null: as many as the budget allows).", trials, eta,
                        plan.describe(), plan.cost(), budget, mostWithin(eta, budget, most)));
            }
            return plan;
        }
        return successiveHalving(mostWithin(eta, budget, most), eta);
    }

    /** The most starting trials (up to {@code most}) whose plan costs at most {@code budget}; at least 1. */
    static int mostWithin(int eta, double budget, int most) {
        int best = 1;
        for (int n = 1; n <= most; n++) {
            if (successiveHalving(n, eta).cost() <= budget + 1e-9) {
                best = n;
            }
        }
        return best;
    }

    /** Starting trials. */
    public int trials() {
        return rungs.get(0).trials();
    }

    /** All rungs' training, in full trainings. */
    public double cost() {
        return rungs.stream().mapToDouble(Rung::cost).sum();
    }

    /** Like "9 x 1/9, 3 x 1/3, 1 x 1 of a full training". */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Rung r : rungs) {
            parts.add(String.format(Locale.ROOT, "%d x %.3g", r.trials(), r.fraction()));
        }
        return String.join(", ", parts) + " of a full training";
    }
}
